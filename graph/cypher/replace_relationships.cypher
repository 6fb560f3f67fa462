// Set a functional relationship (one target per source): any other target of the same type is
// let go, then the relationship to the named target is merged. A row without a target lets go
// of every target of the type (its cell was emptied in a later roster).
// The source is locked first — a property written and removed at once, which takes its write
// lock until commit — so that another transaction writing the same source waits, then sees
// what this one wrote: two writers can never each keep a target the other did not see.
// Template: {type} is filled from graph.model.Rel only.
// Parameters: $rows — list of {source: id, target: id or null, key: map, props: map}.
// Returns: nothing (counters: relationships_created, relationships_deleted).
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
