// The grid gaps of a scope on each of many days, in one pass (DESIGN §4): each grid is read
// once with its covers and judged as gaps_grids judges it on one day — no grid-level party org
// covers it then (COVERS_AT, LEVEL_AT) — but only on the days it may change (STEPS): the
// first, and the last day of each period holding one of its turns.
// Parameters: $scope (district, street or community id; empty or null for everything), $days (list of
//             'YYYY-MM-DD').
// Columns: day, gaps (the change since the day before it in $days: a day's figure is the sum
//          of the changes up to it; a day with no change is left out).
MATCH (root:Entity) WHERE root.id = $scope OR (coalesce($scope, '') = '' AND root:District)
MATCH (root)<-[:PART_OF*0..3]-(g:Grid)
MATCH (g)-[:PART_OF]->(:Community)
WITH DISTINCT g
WITH g, COLLECT { MATCH (o:PartyOrg)-[covers:COVERS]->(g) RETURN {c: covers, o: o} } AS covers
WITH covers, reduce(so_far = [], x IN covers | so_far + COVERS_TURNS(x.c) + FORM_TURNS(x.o))
               AS turns
UNWIND STEPS(turns) AS step
WITH step.day AS day, step.at AS at, step.sign AS sign, covers
WHERE NOT any(x IN covers WHERE COVERS_AT(x.c, at) AND LEVEL_AT(x.o, at) = 'grid')
WITH day, sum(sign) AS gaps
WHERE gaps <> 0
RETURN day, gaps
ORDER BY day
