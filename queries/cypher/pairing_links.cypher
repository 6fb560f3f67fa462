// The pairings a rebalancing works on (DESIGN §4): every unit of a scope — located in one of its
// streets, or paired at $as_of with one of its communities or their estates — with the
// communities of the scope it is paired with (a pairing with an estate counts for its community).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: unit_id, unit, street_id (the unit's street, or null), community_ids (list of ids,
//          empty when the unit is idle in the scope).
CALL () {
  UNWIND CASE WHEN coalesce($scope, '') = '' THEN [true] ELSE [] END AS everything
  MATCH (u:Unit) RETURN u
  UNION
  MATCH (:Entity {id: $scope})<-[:PART_OF*0..1]-(:Street)<-[:LOCATED_IN]-(u:Unit) RETURN u
  UNION
  MATCH (:Community {id: $scope})-[:PART_OF]->(:Street)<-[:LOCATED_IN]-(u:Unit) RETURN u
  UNION
  MATCH (:Entity {id: $scope})<-[:PART_OF*0..3]-(target)<-[p:PAIRED_WITH]-(u:Unit)
  WHERE (target:Community OR target:Estate) AND CURRENT(p)
  RETURN u
}
WITH DISTINCT u
OPTIONAL MATCH (u)-[:LOCATED_IN]->(s:Street)
CALL (u) {
  OPTIONAL MATCH (u)-[p:PAIRED_WITH]->(target)-[:PART_OF*0..1]->(c:Community)
  WHERE CURRENT(p) AND (target:Community OR target:Estate)
    AND (coalesce($scope, '') = '' OR EXISTS { (c)-[:PART_OF*0..2]->(:Entity {id: $scope}) })
  RETURN collect(DISTINCT c.id) AS community_ids
}
RETURN u.id AS unit_id, u.name AS unit, s.id AS street_id, community_ids
ORDER BY unit_id
