// An entity's relationships one hop out, every one with its properties (dates included, so
// that ended posts show as ended), the derived SERVES and POSTED_IN left out; the first $limit
// by type and the other end's id, with how many there are in all.
// Parameters: $id (any entity id), $limit (at most this many rows).
// Columns: total, type, direction ('out' from the entity, 'in' to it), properties (map),
//   other_id, other_label, other_name.
MATCH (n:Entity {id: $id})
WITH n, COUNT { (n)-[r]-(:Entity) WHERE NOT type(r) IN ['SERVES', 'POSTED_IN'] } AS total
MATCH (n)-[r]-(m:Entity)
WHERE NOT type(r) IN ['SERVES', 'POSTED_IN']
WITH total, r, m, CASE WHEN startNode(r) = n THEN 'out' ELSE 'in' END AS direction
ORDER BY type(r), m.id, direction
LIMIT $limit
RETURN total, type(r) AS type, direction, properties(r) AS properties, m.id AS other_id,
       [l IN labels(m) WHERE l <> 'Entity'][0] AS other_label, m.name AS other_name
