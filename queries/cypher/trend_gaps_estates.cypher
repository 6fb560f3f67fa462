// The estate-level gaps of a scope on each of many days, in one pass (DESIGN §4): each estate
// of a community is read once with its contracts and owners' committees and, when built
// (BUILT), judged as gaps_property judges it on one day (no management contract current then)
// and as gaps_owners does (no owners' committee exists then, ALIVE) — but only on the days it
// may change (STEPS): the first, and the last day of each period holding one of its turns.
// Parameters: $scope (district, street or community id; empty or null for everything), $days (list of
//             'YYYY-MM-DD').
// Columns: day, property, owners (each the change since the day before it in $days: a day's
//          figure is the sum of the changes up to it; a day with no change is left out).
MATCH (root:Entity) WHERE root.id = $scope OR (coalesce($scope, '') = '' AND root:District)
MATCH (root)<-[:PART_OF*0..3]-(e:Estate)
MATCH (e)-[:PART_OF]->(:Community)
WITH DISTINCT e
WITH e,
     COLLECT { MATCH (:PropertyFirm)-[m:MANAGES]->(e) RETURN m } AS contracts,
     COLLECT { MATCH (oc:OwnersCommittee)-[:REPRESENTS]->(e) RETURN oc } AS committees
WITH e, contracts, committees,
     BUILT_TURNS(e)
     + reduce(so_far = [], m IN contracts | so_far + CURRENT_TURNS(m))
     + reduce(so_far = [], oc IN committees | so_far + ALIVE_TURNS(oc)) AS turns
UNWIND STEPS(turns) AS step
WITH step.day AS day, step.at AS at, step.sign AS sign, e, contracts, committees
WHERE BUILT(e, at)
WITH day,
     sum(CASE WHEN NOT any(m IN contracts WHERE CURRENT(m, at)) THEN sign ELSE 0 END)
       AS property,
     sum(CASE WHEN NOT any(oc IN committees WHERE ALIVE(oc, at)) THEN sign ELSE 0 END)
       AS owners
WHERE property <> 0 OR owners <> 0
RETURN day, property, owners
ORDER BY day
