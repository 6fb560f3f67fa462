// The building gaps of a scope on each of many days, in one pass (DESIGN §4): each estate is
// read once with its covers and its buildings' groups, and on every day its buildings counted
// as gaps_buildings lists them — an estate built (BUILT) and org-covered then (COVERS_AT), a
// building of it that no party group covers then (COVERS_AT, TYPE_AT).
// Parameters: $scope (district, street or community id; null for everything), $days (list of
//             'YYYY-MM-DD').
// Columns: day, gaps (a day with none is left out).
MATCH (root:Entity) WHERE root.id = $scope OR ($scope IS NULL AND root:District)
MATCH (root)<-[:PART_OF*0..3]-(e:Estate)
WITH DISTINCT e
WITH e,
     COLLECT { MATCH (:PartyOrg)-[covers:COVERS]->(e) RETURN covers } AS covers,
     COLLECT {
       MATCH (e)<-[:PART_OF]-(b:Building)
       RETURN COLLECT { MATCH (o:PartyOrg)-[covers:COVERS]->(b) RETURN {c: covers, o: o} }
     } AS buildings
UNWIND $days AS day
WITH day, e, covers, buildings
WHERE BUILT(e, day) AND any(c IN covers WHERE COVERS_AT(c, day))
RETURN day,
       sum(size([groups IN buildings
                 WHERE NOT any(x IN groups
                               WHERE COVERS_AT(x.c, day) AND TYPE_AT(x.o, day) = 'group')]))
         AS gaps
ORDER BY day
