// Estate coverage of each community of a scope (the rates a report gives by street and
// community), with the same definitions as estate_coverage_summary (DESIGN §4).
// Valid time (DESIGN §4): at $as_of it reads estates built by then (BUILT) and covers that count
// then (COVERS_AT).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD'),
//             $actionable_from (int: members that make an estate an actionable gap).
// Columns: street_id, street, community_id, community, estates, households, org_covered,
//          work_covered, actionable (estates without an org where $actionable_from or more
//          non-floating members live) — integers after the names.
MATCH (root:Entity) WHERE root.id = $scope OR (coalesce($scope, '') = '' AND root:District)
MATCH (root)<-[:PART_OF*0..2]-(c:Community)
MATCH (c)-[:PART_OF]->(s:Street)
WITH DISTINCT c, s
CALL (c) {
  MATCH (c)<-[:PART_OF]-(e:Estate)
  WHERE BUILT(e)
  WITH e, EXISTS { (:PartyOrg)-[covers:COVERS]->(e) WHERE COVERS_AT(covers) } AS org_covered
  WITH e, org_covered,
       org_covered
       OR EXISTS {
         ()-[covers:COVERS]->(:Grid)<-[:IN_GRID]-(:Building)-[:PART_OF]->(e)
         WHERE COVERS_AT(covers)
       }
       OR EXISTS {
         (:Person)-[h:HOLDS {role: 'party_guide'}]->(e)
         WHERE CURRENT(h)
       } AS work_covered,
       NOT org_covered AND COUNT {
         (p:Person)-[:LIVES_IN]->(:Building)-[:PART_OF]->(e)
         WHERE MEMBER_AT(p) AND coalesce(p.member_category, '') <> 'floating'
       } >= $actionable_from AS actionable
  RETURN count(e) AS estates,
         sum(coalesce(e.households, 0)) AS households,
         count(CASE WHEN org_covered THEN 1 END) AS org_covered,
         count(CASE WHEN work_covered THEN 1 END) AS work_covered,
         count(CASE WHEN actionable THEN 1 END) AS actionable
}
RETURN s.id AS street_id, s.name AS street, c.id AS community_id, c.name AS community,
       estates, households, org_covered, work_covered, actionable
ORDER BY street_id, community_id
