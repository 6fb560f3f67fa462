// Entities by id, what each is and is called (to draw bodies a question names only by id).
// Parameters: $ids (list of entity ids).
// Columns: id, label (the node's label other than Entity), name.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'][0] AS label, n.name AS name
