// One entity by id: what it is and what it is called (scope checks, lookups).
// Parameters: $id (any entity id).
// Columns: id, label (the node's label other than Entity), name.
MATCH (n:Entity {id: $id})
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'][0] AS label, n.name AS name
