// Terms (换届) on each of many days, in one pass (DESIGN §4): each org that may count is read
// once and judged on every day as terms judges it on one — it serves the scope then
// (COUNTS_ON), with its type and level then (TYPE_AT, LEVEL_AT) and the years of a term; its
// recorded term, begun by then, has ended (overdue), or no term is recorded then (missing).
// Parameters: $scope (district, street or community id; null for everything), $days (list of
//             'YYYY-MM-DD'), $elected (list of org types), $years_at_level, $years_of_type
//             (maps of level or type code → years).
// Columns: day, overdue, missing (a day with no elected org is left out).
DATED_ORGS(org)
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
          THEN date(org.term_start) + duration({years: years}) END AS ends
RETURN day,
       count(CASE WHEN ends <= date(day) THEN 1 END) AS overdue,
       count(CASE WHEN ends IS NULL THEN 1 END) AS missing
ORDER BY day
