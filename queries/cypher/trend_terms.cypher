// Terms (换届) on each of many days, in one pass (DESIGN §4): each org that may count is read
// once and judged on every day as terms judges it on one — it serves the scope then
// (COUNTS_ON), with its type and level then (TYPE_AT, LEVEL_AT) and the years of a term; its
// recorded term, begun by then, has ended (overdue), or no term is recorded then (missing).
// Parameters: $scope (district, street or community id; null for everything), $days (list of
//             'YYYY-MM-DD'), $elected (list of org types), $years_at_level, $years_of_type
//             (maps of level or type code → years).
// Columns: day, overdue, missing (a day with no elected org is left out).
DATED_ORGS(node)
// Read once into values, the rules then judge each day in memory.
WITH {founded: node.founded, dissolved: node.dissolved, type: node.type, level: node.level,
      form_since: node.form_since, form_type: node.form_type, form_level: node.form_level,
      term_start: node.term_start, term_years: node.term_years,
      starts: CASE WHEN node.term_start IS NOT NULL THEN date(node.term_start) END} AS org,
     [s IN spans | {since: s.since, until: s.until}] AS spans, everywhere
UNWIND $days AS day
WITH day, org, spans, everywhere WHERE COUNTS_ON(org, day)
WITH day, org, TYPE_AT(org, day) AS type, LEVEL_AT(org, day) AS level
WITH day, org,
     coalesce(org.term_years,
              CASE WHEN type IN $elected
                   THEN coalesce($years_at_level[level], $years_of_type[type]) END)
       AS years
WHERE years IS NOT NULL
WITH day,
     CASE WHEN org.term_start IS NOT NULL AND org.term_start <= day
          THEN org.starts + duration({years: years}) END AS ends
RETURN day,
       count(CASE WHEN ends <= date(day) THEN 1 END) AS overdue,
       count(CASE WHEN ends IS NULL THEN 1 END) AS missing
ORDER BY day
