// Units of a scope paired with nothing at $as_of (闲置的共建单位, DESIGN §4). A unit is in a scope
// when it is located in one of its streets (for a community, in the community's street).
// Parameters: $scope (district, street or community id; empty or null for every unit), $as_of ('YYYY-MM-DD').
// Columns: unit_id, unit, kind (code), street_id (or null), street (or null).
CALL () {
  UNWIND CASE WHEN coalesce($scope, '') = '' THEN [true] ELSE [] END AS everything
  MATCH (u:Unit) RETURN u
  UNION
  MATCH (:Entity {id: $scope})<-[:PART_OF*0..1]-(:Street)<-[:LOCATED_IN]-(u:Unit) RETURN u
  UNION
  MATCH (:Community {id: $scope})-[:PART_OF]->(:Street)<-[:LOCATED_IN]-(u:Unit) RETURN u
}
WITH DISTINCT u
WHERE NOT EXISTS {
  (u)-[p:PAIRED_WITH]->() WHERE CURRENT(p)
}
OPTIONAL MATCH (u)-[:LOCATED_IN]->(s:Street)
RETURN u.id AS unit_id, u.name AS unit, u.kind AS kind, s.id AS street_id, s.name AS street
ORDER BY unit_id
