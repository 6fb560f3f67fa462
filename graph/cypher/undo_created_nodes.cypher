// Taking back a load, second: delete the nodes it created (their links were its own too).
// Parameters: $load.
// Returns: nothing (counters: nodes_deleted).
MATCH (n:Entity) WHERE n.load_created = $load
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
