// Estate coverage in a scope: how many estates have a party organization (org-covered) and how
// many have party work (work-covered: org-covered, or a party org covers a grid holding one of
// its buildings, or someone holds a current party_guide post on it). DESIGN §4.
// Parameters: $scope (district, street or community id, or null for all), $as_of ('YYYY-MM-DD').
// Columns: estates, households, org_covered, work_covered (integers).
MATCH (e:Estate)-[:PART_OF]->(c:Community)-[:PART_OF]->(s:Street)-[:PART_OF]->(d:District)
WHERE $scope IS NULL OR $scope IN [c.id, s.id, d.id]
WITH e, EXISTS { (:PartyOrg)-[:COVERS]->(e) } AS org_covered
WITH e, org_covered,
     org_covered
     OR EXISTS { (:PartyOrg)-[:COVERS]->(:Grid)<-[:IN_GRID]-(:Building)-[:PART_OF]->(e) }
     OR EXISTS {
       (:Person)-[h:HOLDS {role: 'party_guide'}]->(e)
       WHERE (h.since IS NULL OR h.since <= $as_of) AND (h.until IS NULL OR h.until > $as_of)
     } AS work_covered
RETURN count(e) AS estates,
       sum(coalesce(e.households, 0)) AS households,
       count(CASE WHEN org_covered THEN 1 END) AS org_covered,
       count(CASE WHEN work_covered THEN 1 END) AS work_covered
