// Terms (换届) on each of many days, in one pass (DESIGN §4): each org that may count is read
// once and judged as terms judges it on one day — it serves the scope then (COUNTS_ON), with
// its type and level then (TYPE_AT, LEVEL_AT) and the years of a term; its recorded term, begun
// by then, has ended (overdue), or no term is recorded then (missing) — but only on the days it
// may change (STEPS): the first, and the last day of each period holding one of its turns, the
// ends of its term among them.
// Parameters: $scope (district, street or community id; empty or null for everything), $days (list of
//             'YYYY-MM-DD'), $years_at_level, $years_of_type (maps of level or type code →
//             years).
// Columns: day, overdue, missing (each the change since the day before it in $days: a day's
//          figure is the sum of the changes up to it; a day with no change is left out).
DATED_ORGS(node)
// Only an org that has a term in some form is read further.
WITH node, spans, everywhere
WHERE MAY_HAVE_TERM(node)
// Read once into values, the rules then judge each day in memory.
WITH {founded: node.founded, dissolved: node.dissolved, type: node.type, level: node.level,
      form_since: node.form_since, form_type: node.form_type, form_level: node.form_level,
      term_start: node.term_start, term_years: node.term_years,
      starts: CASE WHEN node.term_start IS NOT NULL THEN date(node.term_start) END} AS org,
     [s IN spans | {since: s.since, until: s.until}] AS spans, everywhere
// A term recorded ends after the years of the org's type and level, which may change: each
// end it may have is a turn.
WITH org, spans, everywhere,
     [years IN [org.term_years]
                + [type IN coalesce(org.form_type, []) + [org.type] | $years_of_type[type]]
                + [level IN coalesce(org.form_level, []) + [org.level] | $years_at_level[level]]
      WHERE org.starts IS NOT NULL AND years IS NOT NULL
      | toString(org.starts + duration({years: years}))] AS ends
WITH org, spans, everywhere, COUNTS_TURNS(org) + FORM_TURNS(org) + [org.term_start] + ends AS turns
UNWIND STEPS(turns) AS step
WITH step.day AS day, step.at AS at, step.sign AS sign, org, spans, everywhere
WHERE COUNTS_ON(org, at)
WITH day, at, sign, org, TYPE_AT(org, at) AS type, LEVEL_AT(org, at) AS level
WITH day, at, sign, org,
     coalesce(org.term_years,
              CASE WHEN ELECTED(type)
                   THEN coalesce($years_at_level[level], $years_of_type[type]) END)
       AS years
WHERE years IS NOT NULL
WITH day, at, sign,
     CASE WHEN org.term_start IS NOT NULL AND org.term_start <= at
          THEN org.starts + duration({years: years}) END AS ends
WITH day,
     sum(CASE WHEN ends <= date(at) THEN sign ELSE 0 END) AS overdue,
     sum(CASE WHEN ends IS NULL THEN sign ELSE 0 END) AS missing
WHERE overdue <> 0 OR missing <> 0
RETURN day, overdue, missing
ORDER BY day
