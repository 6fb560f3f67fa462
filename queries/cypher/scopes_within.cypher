// The districts, streets and communities one may choose as a scope: those inside a
// jurisdiction (itself included), or every one when $jurisdiction is null; each with the id of
// the place it is part of, so that a list can show them as the territory nests.
// Parameters: $jurisdiction (a district, street or community id, or null).
// Columns: id, label, name, parent_id.
MATCH (n:Entity)
WHERE (n:District OR n:Street OR n:Community)
  AND ($jurisdiction IS NULL OR EXISTS { (n)-[:PART_OF*0..2]->(:Entity {id: $jurisdiction}) })
OPTIONAL MATCH (n)-[:PART_OF]->(up:Entity)
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'][0] AS label, n.name AS name,
       up.id AS parent_id
ORDER BY id
LIMIT 20000
