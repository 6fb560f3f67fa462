// The property-firm gaps of a scope on each of many days, in one pass (DESIGN §4): each firm
// managing an estate of the scope is read once with its contracts, orgs and party guides, and
// on every day counted as gaps_firms lists it — it manages a built estate there by a contract
// current then (CURRENT, BUILT), no party org based in it exists then (ALIVE) and no party
// guide's post is current.
// Parameters: $scope (district, street or community id; null for everything), $days (list of
//             'YYYY-MM-DD').
// Columns: day, gaps (a day with none is left out).
MATCH (root:Entity) WHERE root.id = $scope OR ($scope IS NULL AND root:District)
MATCH (root)<-[:PART_OF*0..3]-(e:Estate)<-[m:MANAGES]-(f:PropertyFirm)
WITH DISTINCT f, e, m
WITH f, collect({m: m, e: e}) AS contracts
WITH f, contracts,
     COLLECT { MATCH (o:PartyOrg)-[:BASED_IN]->(f) RETURN o } AS orgs,
     COLLECT { MATCH (:Person)-[h:HOLDS {role: 'party_guide'}]->(f) RETURN h } AS guides
UNWIND $days AS day
WITH day, f, contracts, orgs, guides
WHERE any(x IN contracts WHERE CURRENT(x.m, day) AND BUILT(x.e, day))
  AND NOT any(o IN orgs WHERE ALIVE(o, day))
  AND NOT any(h IN guides WHERE CURRENT(h, day))
RETURN day, count(f) AS gaps
ORDER BY day
