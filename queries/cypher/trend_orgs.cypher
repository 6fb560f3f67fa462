// The party orgs of a scope by type on each of many days, in one pass (DESIGN §4): each org
// that may count is read once and judged as census_orgs judges it on one day — it serves the
// scope then (COUNTS_ON), and has the type it had then (TYPE_AT) — but only on the days it may
// change (STEPS): the first, and the last day of each period holding one of its turns.
// Parameters: $scope (district, street or community id; empty or null for everything), $days (list of
//             'YYYY-MM-DD').
// Columns: day, type, orgs (the change since the day before it in $days: a day's figure is the
//          sum of the changes up to it; a day with no change is left out).
DATED_ORGS(node)
WITH {founded: node.founded, dissolved: node.dissolved, type: node.type,
      form_since: node.form_since, form_type: node.form_type} AS org,
     [s IN spans | {since: s.since, until: s.until}] AS spans, everywhere
WITH org, spans, everywhere, COUNTS_TURNS(org) + FORM_TURNS(org) AS turns
UNWIND STEPS(turns) AS step
WITH step.day AS day, step.at AS at, step.sign AS sign, org, spans, everywhere
WHERE COUNTS_ON(org, at)
WITH day, TYPE_AT(org, at) AS type, sum(sign) AS orgs
WHERE orgs <> 0
RETURN day, type, orgs
ORDER BY day, type
