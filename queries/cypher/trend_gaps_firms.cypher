// The property-firm gaps of a scope on each of many days, in one pass (DESIGN §4): each firm
// managing an estate of the scope is read once with its contracts, orgs and party guides and
// judged as gaps_firms judges it on one day — it manages a built estate there by a contract
// current then (CURRENT, BUILT), no party org based in it exists then (ALIVE) and no party
// guide's post is current — but only on the days it may change (STEPS): the first, and the
// last day of each period holding one of its turns.
// Parameters: $scope (district, street or community id; empty or null for everything), $days (list of
//             'YYYY-MM-DD').
// Columns: day, gaps (the change since the day before it in $days: a day's figure is the sum
//          of the changes up to it; a day with no change is left out).
MATCH (root:Entity) WHERE root.id = $scope OR (coalesce($scope, '') = '' AND root:District)
MATCH (root)<-[:PART_OF*0..3]-(e:Estate)<-[m:MANAGES]-(f:PropertyFirm)
WITH DISTINCT f, e, m
WITH f, collect({m: m, e: e}) AS contracts
WITH f, contracts,
     COLLECT { MATCH (o:PartyOrg)-[:BASED_IN]->(f) RETURN o } AS orgs,
     COLLECT { MATCH (:Person)-[h:HOLDS {role: 'party_guide'}]->(f) RETURN h } AS guides
WITH contracts, orgs, guides,
     reduce(so_far = [], x IN contracts | so_far + CURRENT_TURNS(x.m) + BUILT_TURNS(x.e))
     + reduce(so_far = [], o IN orgs | so_far + ALIVE_TURNS(o))
     + reduce(so_far = [], h IN guides | so_far + CURRENT_TURNS(h)) AS turns
UNWIND STEPS(turns) AS step
WITH step.day AS day, step.at AS at, step.sign AS sign, contracts, orgs, guides
WHERE any(x IN contracts WHERE CURRENT(x.m, at) AND BUILT(x.e, at))
  AND NOT any(o IN orgs WHERE ALIVE(o, at))
  AND NOT any(h IN guides WHERE CURRENT(h, at))
WITH day, sum(sign) AS gaps
WHERE gaps <> 0
RETURN day, gaps
ORDER BY day
