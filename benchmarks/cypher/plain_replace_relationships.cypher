// The loader's one-target relationship upsert without provenance: replace_relationships as it
// was before the graph kept where each fact came from (no versions of what it lets go of). For
// the load benchmark's comparison only.
// Template: {type} as in replace_relationships.
// Parameters: $rows — list of {source: id, target: id or null, key: map, props: map,
//             source_row: ignored}; $load (ignored).
// Returns: changed (always 0; counters: relationships_created, relationships_deleted).
UNWIND $rows AS row
MATCH (a:Entity {id: row.source})
SET a._lock = true
REMOVE a._lock
WITH a, row
CALL (a, row) {
  MATCH (a)-[old:{type}]->(other)
  WHERE row.target IS NULL OR other.id <> row.target
  DELETE old
}
WITH a, row
WHERE row.target IS NOT NULL
MATCH (b:Entity {id: row.target})
MERGE (a)-[r:{type}]->(b)
SET r += row.props
WITH count(*) AS _
RETURN 0 AS changed
