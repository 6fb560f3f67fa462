// Pairing balance (结对/报到均衡) per community of a scope (DESIGN §4): in-service members reported
// to it (双报到), counted when current at $as_of; households are the community's own figure, else
// the sum of its estates'. The units paired with it are counted apart (pairing_units). The
// members are read from the community's report steps (REPORTERS_AT; pairing_communities_walk
// reads every report).
// Valid time (DESIGN §4): at $as_of it reads estates built by then (BUILT).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: community_id, community, street_id, street, households (int or null when unknown),
//          members (int).
MATCH (root:Entity) WHERE root.id = $scope OR (coalesce($scope, '') = '' AND root:District)
MATCH (root)<-[:PART_OF*0..2]-(c:Community)
MATCH (c)-[:PART_OF]->(s:Street)
WITH DISTINCT c, s
CALL (c) {
  OPTIONAL MATCH (c)<-[:PART_OF]-(e:Estate)
  WHERE BUILT(e)
  RETURN count(e) AS estates, sum(e.households) AS estate_households
}
WITH c, s, estates, estate_households, REPORTERS_AT(c) AS members
RETURN c.id AS community_id, c.name AS community, s.id AS street_id, s.name AS street,
       CASE WHEN c.households IS NOT NULL THEN c.households
            WHEN estates > 0 THEN estate_households END AS households,
       members
ORDER BY street_id, community_id
