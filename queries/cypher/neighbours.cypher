// The relationships current at a date between some entities and their neighbours (the
// derived SERVES and POSTED_IN left out), for a graph view: one step of a neighbourhood.
// Parameters: $ids (entity ids), $as_of, $limit (at most this many rows).
// Columns: source, target (ids, in the relationship's direction), type, id, label, name (the
//   neighbour).
UNWIND $ids AS id
MATCH (n:Entity {id: id})-[r]-(m:Entity)
WHERE NOT type(r) IN ['SERVES', 'POSTED_IN'] AND CURRENT(r)
WITH DISTINCT r, m
ORDER BY m.id, type(r)
LIMIT $limit
RETURN startNode(r).id AS source, endNode(r).id AS target, type(r) AS type, m.id AS id,
       [l IN labels(m) WHERE l <> 'Entity'][0] AS label, m.name AS name
