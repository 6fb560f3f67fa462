// Names of entities by id (to label results computed outside Cypher).
// Parameters: $ids (list of entity ids).
// Columns: id, name.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
RETURN n.id AS id, n.name AS name
