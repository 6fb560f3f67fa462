// Estate coverage of a scope: how many estates have a party organization (org-covered) and how
// many have party work (work-covered: org-covered, or a party org covers a grid holding one of
// its buildings, or someone holds a party_guide post on it current at $as_of). DESIGN §4.
// Valid time (DESIGN §4): at $as_of it reads estates built by then (BUILT) and covers that count
// then (COVERS_AT).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: estates, households, org_covered, work_covered (integers).
MATCH (root:Entity) WHERE root.id = $scope OR (coalesce($scope, '') = '' AND root:District)
MATCH (root)<-[:PART_OF*0..3]-(e:Estate)
WITH DISTINCT e
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
     } AS work_covered
RETURN count(e) AS estates,
       sum(coalesce(e.households, 0)) AS households,
       count(CASE WHEN org_covered THEN 1 END) AS org_covered,
       count(CASE WHEN work_covered THEN 1 END) AS work_covered
