// Taking back a load, third: give every node it changed back its properties as they were (the
// version kept), then drop the version — so that a second run restores nothing twice.
// Parameters: $load.
// Returns: nothing.
MATCH (v:Version {version_load: $load, version_kind: 'node'})
CALL (v) {
  MATCH (n:Entity {id: v.version_of})
  SET n = properties(v)
  REMOVE n.version_load, n.version_kind, n.version_change, n.version_of, n.version_source
  DELETE v
} IN TRANSACTIONS OF 10000 ROWS
