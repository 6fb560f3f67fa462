// The party orgs of a scope by type on each of many days, in one pass (DESIGN §4): each org
// that may count is read once and judged on every day as census_orgs judges it on one — it
// serves the scope then (COUNTS_ON), and has the type it had then (TYPE_AT).
// Parameters: $scope (district, street or community id; null for everything), $days (list of
//             'YYYY-MM-DD').
// Columns: day, type, orgs.
DATED_ORGS(org)
UNWIND $days AS day
WITH day, org, spans, everywhere WHERE COUNTS_ON(org, day)
RETURN day, TYPE_AT(org, day) AS type, count(*) AS orgs
ORDER BY day, type
