// The building gaps of a scope on each of many days, in one pass (DESIGN §4): each estate is
// read once with its covers and its buildings' groups and its buildings judged as
// gaps_buildings judges them on one day — an estate built (BUILT) and org-covered then
// (COVERS_AT), a building of it that no party group covers then (COVERS_AT, TYPE_AT) — but
// only on the days they may change (STEPS): the first, and the last day of each period holding
// one of their turns.
// Parameters: $scope (district, street or community id; empty or null for everything), $days (list of
//             'YYYY-MM-DD').
// Columns: day, gaps (the change since the day before it in $days: a day's figure is the sum
//          of the changes up to it; a day with no change is left out).
MATCH (root:Entity) WHERE root.id = $scope OR (coalesce($scope, '') = '' AND root:District)
MATCH (root)<-[:PART_OF*0..3]-(e:Estate)
WITH DISTINCT e
WITH e,
     COLLECT { MATCH (:PartyOrg)-[covers:COVERS]->(e) RETURN covers } AS covers,
     COLLECT {
       MATCH (e)<-[:PART_OF]-(b:Building)
       RETURN COLLECT { MATCH (o:PartyOrg)-[covers:COVERS]->(b) RETURN {c: covers, o: o} }
     } AS buildings
WITH e, covers, buildings,
     BUILT_TURNS(e)
     + reduce(so_far = [], c IN covers | so_far + COVERS_TURNS(c))
     + reduce(so_far = [], groups IN buildings |
              reduce(more = so_far, x IN groups | more + COVERS_TURNS(x.c) + FORM_TURNS(x.o)))
       AS turns
UNWIND STEPS(turns) AS step
WITH step.day AS day, step.at AS at, step.sign AS sign, e, covers, buildings
WHERE BUILT(e, at) AND any(c IN covers WHERE COVERS_AT(c, at))
WITH day,
     sum(sign * size([groups IN buildings
                      WHERE NOT any(x IN groups
                                    WHERE COVERS_AT(x.c, at) AND TYPE_AT(x.o, at) = 'group')]))
       AS gaps
WHERE gaps <> 0
RETURN day, gaps
ORDER BY day
