// Entities whose id is the text asked, or whose name holds it (the text index on
// Entity.name answers CONTAINS), of one label or any; the id match first, then names that
// start with it, then the shortest names. A person is matched by name only when
// $person_names is true (for a caller who may read names); by id always.
// Parameters: $q (text), $label (a label, or null for any), $limit, $person_names (boolean).
// Columns: id, label, name.
CALL () {
  MATCH (n:Entity {id: $q})
  RETURN n, 0 AS rank
  UNION
  MATCH (n:Entity)
  WHERE n.name CONTAINS $q AND ($person_names OR NOT n:Person)
  RETURN n, CASE WHEN n.name STARTS WITH $q THEN 1 ELSE 2 END AS rank
}
WITH n, min(rank) AS rank
WITH n, rank, [l IN labels(n) WHERE l <> 'Entity'][0] AS label
WHERE $label IS NULL OR label = $label
ORDER BY rank, size(n.name), n.id
LIMIT $limit
RETURN n.id AS id, label, n.name AS name
