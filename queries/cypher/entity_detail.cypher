// One entity whole, for a lookup: its labels and every property.
// Parameters: $id (any entity id).
// Columns: id, label (the node's label other than Entity), properties (map).
MATCH (n:Entity {id: $id})
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'][0] AS label, properties(n) AS properties
