// Every load recorded, the latest first.
// Parameters: none.
// Columns: the Load node's properties (props), as a map.
MATCH (l:Load)
RETURN properties(l) AS props
ORDER BY l.number DESC
