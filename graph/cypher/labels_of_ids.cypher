// The label of each id that already exists in the database.
// Parameters: $ids — list of ids.
// Columns: id (string), label (the node's label other than Entity).
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN id, [l IN labels(n) WHERE l <> 'Entity'][0] AS label
