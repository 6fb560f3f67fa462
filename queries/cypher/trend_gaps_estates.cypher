// The estate-level gaps of a scope on each of many days, in one pass (DESIGN §4): each estate
// of a community is read once with its contracts and owners' committees, and on every day,
// when built (BUILT), counted as gaps_property lists it (no management contract current then)
// and as gaps_owners lists it (no owners' committee exists then, ALIVE).
// Parameters: $scope (district, street or community id; null for everything), $days (list of
//             'YYYY-MM-DD').
// Columns: day, property, owners (a day with no estate built is left out).
MATCH (root:Entity) WHERE root.id = $scope OR ($scope IS NULL AND root:District)
MATCH (root)<-[:PART_OF*0..3]-(e:Estate)
MATCH (e)-[:PART_OF]->(:Community)
WITH DISTINCT e
WITH e,
     COLLECT { MATCH (:PropertyFirm)-[m:MANAGES]->(e) RETURN m } AS contracts,
     COLLECT { MATCH (oc:OwnersCommittee)-[:REPRESENTS]->(e) RETURN oc } AS committees
UNWIND $days AS day
WITH day, e, contracts, committees
WHERE BUILT(e, day)
RETURN day,
       count(CASE WHEN NOT any(m IN contracts WHERE CURRENT(m, day)) THEN 1 END) AS property,
       count(CASE WHEN NOT any(oc IN committees WHERE ALIVE(oc, day)) THEN 1 END) AS owners
ORDER BY day
