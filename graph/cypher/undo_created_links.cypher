// Taking back a load, first: delete the links it created, a batch at a time (idempotent: a
// second run finds none).
// Parameters: $load.
// Returns: nothing (counters: relationships_deleted).
MATCH ()-[r]->() WHERE r.load_created = $load
CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS
