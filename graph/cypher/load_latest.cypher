// The latest load recorded (docs/model.md, Provenance), if any.
// Parameters: none.
// Columns: number, status, file_sha256 (list), kind.
MATCH (l:Load)
RETURN l.number AS number, l.status AS status, l.file_sha256 AS file_sha256, l.kind AS kind
ORDER BY l.number DESC
LIMIT 1
