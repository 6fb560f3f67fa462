// Units paired (结对, current at $as_of) with each community of a scope or with something directly
// PART_OF it (an estate, a grid), by community (DESIGN §4); a community with none has no row.
// Unscoped, every pairing is read once from the unit's side and followed up to its community; in
// a scope, the scope's communities are followed down to what is paired with them.
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: community_id, units (int).
CALL () {
  UNWIND CASE WHEN coalesce($scope, '') = '' THEN [true] ELSE [] END AS everything
  MATCH (u:Unit)-[p:PAIRED_WITH]->(target)
  WHERE CURRENT(p)
  MATCH (target)-[:PART_OF*0..1]->(c:Community)
  RETURN c, u
  UNION ALL
  MATCH (:Entity {id: $scope})<-[:PART_OF*0..2]-(c:Community)
  WITH DISTINCT c
  MATCH (c)<-[:PART_OF*0..1]-(target)<-[p:PAIRED_WITH]-(u:Unit)
  WHERE CURRENT(p)
  RETURN c, u
}
RETURN c.id AS community_id, count(DISTINCT u) AS units
ORDER BY community_id
