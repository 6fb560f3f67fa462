// Set a functional relationship (one target per source): any other target of the same type
// is let go, then the relationship to the named target is merged.
// Template: {type} is filled from graph.model.Rel only.
// Parameters: $rows — list of {source: id, target: id, key: map, props: map}.
// Returns: nothing (counters: relationships_created, relationships_deleted).
UNWIND $rows AS row
MATCH (a:Entity {id: row.source})
MATCH (b:Entity {id: row.target})
CALL (a, b) {
  MATCH (a)-[old:{type}]->(other)
  WHERE other <> b
  DELETE old
}
MERGE (a)-[r:{type}]->(b)
SET r += row.props
