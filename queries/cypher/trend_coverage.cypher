// Estate coverage of a scope on each of many days, in one pass (DESIGN §4): each estate is read
// once with its covers and party guides, then judged on every day by the rules of
// estate_coverage_summary — built by then (BUILT), org-covered by a cover that counts then
// (COVERS_AT), work-covered also through a grid or a party guide.
// Parameters: $scope (district, street or community id; null for everything), $days (list of
//             'YYYY-MM-DD').
// Columns: day, estates, households, org_covered, work_covered (a day with no estate built is
//          left out).
MATCH (root:Entity) WHERE root.id = $scope OR ($scope IS NULL AND root:District)
MATCH (root)<-[:PART_OF*0..3]-(e:Estate)
WITH DISTINCT e
WITH e,
     COLLECT { MATCH (:PartyOrg)-[covers:COVERS]->(e) RETURN covers } AS covers,
     COLLECT {
       MATCH ()-[covers:COVERS]->(:Grid)<-[:IN_GRID]-(:Building)-[:PART_OF]->(e)
       RETURN covers
     } AS grid_covers,
     COLLECT { MATCH (:Person)-[h:HOLDS {role: 'party_guide'}]->(e) RETURN h } AS guides
UNWIND $days AS day
WITH day, e, covers, grid_covers, guides
WHERE BUILT(e, day)
WITH day, e, grid_covers, guides, any(c IN covers WHERE COVERS_AT(c, day)) AS org_covered
WITH day, e, org_covered,
     org_covered
     OR any(c IN grid_covers WHERE COVERS_AT(c, day))
     OR any(h IN guides WHERE CURRENT(h, day)) AS work_covered
RETURN day, count(e) AS estates, sum(coalesce(e.households, 0)) AS households,
       count(CASE WHEN org_covered THEN 1 END) AS org_covered,
       count(CASE WHEN work_covered THEN 1 END) AS work_covered
ORDER BY day
