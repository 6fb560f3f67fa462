// Estate coverage of a scope on each of many days, in one pass (DESIGN §4): each estate is read
// once with its covers and party guides and judged by the rules of estate_coverage_summary —
// built by then (BUILT), org-covered by a cover that counts then (COVERS_AT), work-covered
// also through a grid or a party guide — but only on the days it may change (STEPS): the
// first, and the last day of each period holding one of its turns.
// Parameters: $scope (district, street or community id; empty or null for everything), $days (list of
//             'YYYY-MM-DD').
// Columns: day, estates, households, org_covered, work_covered (each the change since the day
//          before it in $days: a day's figure is the sum of the changes up to it; a day with no
//          change is left out).
MATCH (root:Entity) WHERE root.id = $scope OR (coalesce($scope, '') = '' AND root:District)
MATCH (root)<-[:PART_OF*0..3]-(e:Estate)
WITH DISTINCT e
WITH e,
     COLLECT { MATCH (:PartyOrg)-[covers:COVERS]->(e) RETURN covers } AS covers,
     COLLECT {
       MATCH (e)<-[:PART_OF]-(:Building)-[:IN_GRID]->(g:Grid)
       WITH DISTINCT g
       MATCH ()-[covers:COVERS]->(g)
       RETURN covers
     } AS grid_covers,
     COLLECT { MATCH (:Person)-[h:HOLDS {role: 'party_guide'}]->(e) RETURN h } AS guides
WITH e, covers, grid_covers, guides,
     BUILT_TURNS(e)
     + reduce(so_far = [], c IN covers + grid_covers | so_far + COVERS_TURNS(c))
     + reduce(so_far = [], h IN guides | so_far + CURRENT_TURNS(h)) AS turns
UNWIND STEPS(turns) AS step
WITH step.day AS day, step.at AS at, step.sign AS sign, e, covers, grid_covers, guides
WHERE BUILT(e, at)
WITH day, at, sign, e, grid_covers, guides, any(c IN covers WHERE COVERS_AT(c, at)) AS org_covered
WITH day, sign, e, org_covered,
     org_covered
     OR any(c IN grid_covers WHERE COVERS_AT(c, at))
     OR any(h IN guides WHERE CURRENT(h, at)) AS work_covered
WITH day, sum(sign) AS estates, sum(sign * coalesce(e.households, 0)) AS households,
     sum(CASE WHEN org_covered THEN sign ELSE 0 END) AS org_covered,
     sum(CASE WHEN work_covered THEN sign ELSE 0 END) AS work_covered
WHERE estates <> 0 OR households <> 0 OR org_covered <> 0 OR work_covered <> 0
RETURN day, estates, households, org_covered, work_covered
ORDER BY day
