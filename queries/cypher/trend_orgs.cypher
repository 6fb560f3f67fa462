// The party orgs of a scope by type on each of many days, in one pass (DESIGN §4): each org
// that may count is read once and judged on every day as census_orgs judges it on one — it
// serves the scope then (COUNTS_ON), and has the type it had then (TYPE_AT).
// Parameters: $scope (district, street or community id; null for everything), $days (list of
//             'YYYY-MM-DD').
// Columns: day, type, orgs.
DATED_ORGS(node)
// Read once into values, the rules then judge each day in memory.
WITH {founded: node.founded, dissolved: node.dissolved, type: node.type,
      form_since: node.form_since, form_type: node.form_type} AS org,
     [s IN spans | {since: s.since, until: s.until}] AS spans, everywhere
UNWIND $days AS day
WITH day, org, spans, everywhere WHERE COUNTS_ON(org, day)
RETURN day, TYPE_AT(org, day) AS type, count(*) AS orgs
ORDER BY day, type
