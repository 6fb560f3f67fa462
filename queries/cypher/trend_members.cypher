// The party members of a scope on each of many days, in one pass (DESIGN §4): each org that
// may count is read once with its member steps and judged as census_members judges it on one
// day — it serves the scope then (COUNTS_ON), with the members its steps give then
// (MEMBERS_AT) — but only on the days it may change (STEPS): the first, and the last day of
// each period holding one of its turns.
// Parameters: $scope (district, street or community id; empty or null for everything), $days (list of
//             'YYYY-MM-DD').
// Columns: day, members (the change since the day before it in $days: a day's figure is the
//          sum of the changes up to it; a day with no change is left out).
DATED_ORGS(node)
WITH node, spans, everywhere WHERE node.member_days IS NOT NULL
WITH {founded: node.founded, dissolved: node.dissolved, member_days: node.member_days,
      member_changes: node.member_changes} AS org,
     [s IN spans | {since: s.since, until: s.until}] AS spans, everywhere
WITH org, spans, everywhere, COUNTS_TURNS(org) + MEMBERS_TURNS(org) AS turns
UNWIND STEPS(turns) AS step
WITH step.day AS day, step.at AS at, step.sign AS sign, org, spans, everywhere
WHERE COUNTS_ON(org, at)
WITH day, sum(sign * MEMBERS_AT(org, at)) AS members
WHERE members <> 0
RETURN day, members
ORDER BY day
