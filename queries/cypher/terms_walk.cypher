// Terms (换届, DESIGN §4), judging every org of the scope: what terms judges for the orgs marked
// termed, kept to hold the mark to the rule (the differential tests). The elected party
// organizations of a scope (SCOPE_ORGS) whose current
// term ends by $until (due), has ended by $as_of with no new term recorded (overdue), or was
// never recorded (missing) — asked before the recorded term_start, the term running then is not
// recorded: missing too (DESIGN §4). A term runs the org's own term_years, else the years of its level
// ($years_at_level), else of its type ($years_of_type), from term_start; orgs of a type not
// elected (ELECTED: appointed working committees, groups) have no term unless they give
// term_years.
// Month-precision starts ('2021-05') begin on the month's first day. Each comes with its
// superior org (existing at $as_of), whose secretaries are to remind it (secretaries_of, asked
// once for every superior org listed).
// Valid time (DESIGN §4): at $as_of it reads orgs and committees that exist then (ALIVE), an org's
// type then (TYPE_AT) and its level then (LEVEL_AT).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD'),
//             $until ('YYYY-MM-DD', the end of the window), $years_at_level, $years_of_type
//             (maps of level or type code → years).
// Columns: org_id, org, type, level, status ('overdue' | 'due' | 'missing'), term_start (or
//          null), term_years (int), term_end ('YYYY-MM-DD' or null), parent_id, parent (or
//          null). Most urgent first: overdue by end date, due by end date, then missing; then
//          by id.
SCOPE_ORGS(org)
WITH org, TYPE_AT(org) AS type, LEVEL_AT(org) AS level
WITH org, type, level,
     coalesce(org.term_years,
              CASE WHEN ELECTED(type)
                   THEN coalesce($years_at_level[level], $years_of_type[type]) END)
       AS years
WHERE years IS NOT NULL
WITH org, type, level, years,
     CASE WHEN org.term_start IS NOT NULL AND org.term_start <= $as_of
          THEN date(org.term_start) + duration({years: years}) END AS ends
WITH org, type, level, years, ends,
     CASE WHEN ends IS NULL THEN 'missing'
          WHEN ends <= date($as_of) THEN 'overdue'
          WHEN ends <= date($until) THEN 'due' END AS status
WHERE status IS NOT NULL
OPTIONAL MATCH (org)-[:REPORTS_TO]->(parent:PartyOrg)
  WHERE ALIVE(parent)
RETURN org.id AS org_id, org.name AS org, type, level, status,
       org.term_start AS term_start, years AS term_years, toString(ends) AS term_end,
       parent.id AS parent_id, parent.name AS parent
ORDER BY CASE status WHEN 'overdue' THEN 0 WHEN 'due' THEN 1 ELSE 2 END, ends, org_id
