// The grid gaps of a scope on each of many days, in one pass (DESIGN §4): each grid is read
// once with its covers, and on every day counted as gaps_grids lists it — no grid-level party
// org covers it then (COVERS_AT, LEVEL_AT).
// Parameters: $scope (district, street or community id; null for everything), $days (list of
//             'YYYY-MM-DD').
// Columns: day, gaps (a day with none is left out).
MATCH (root:Entity) WHERE root.id = $scope OR ($scope IS NULL AND root:District)
MATCH (root)<-[:PART_OF*0..3]-(g:Grid)
MATCH (g)-[:PART_OF]->(:Community)
WITH DISTINCT g
WITH g, COLLECT { MATCH (o:PartyOrg)-[covers:COVERS]->(g) RETURN {c: covers, o: o} } AS covers
UNWIND $days AS day
WITH day, g, covers
WHERE NOT any(x IN covers WHERE COVERS_AT(x.c, day) AND LEVEL_AT(x.o, day) = 'grid')
RETURN day, count(g) AS gaps
ORDER BY day
