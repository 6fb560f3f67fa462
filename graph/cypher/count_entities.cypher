// How many nodes the database holds (any label of the model).
// Parameters: none. Columns: entities (integer).
MATCH (n:Entity)
RETURN count(n) AS entities
