// Works out afresh when some party organizations are vacant: existing (ALIVE), not a group (by
// TYPE_AT) and with no secretary post current (SECRETARIES_AT, read from the secretary steps
// worked out just before) — so that rules_vacancies reads the orgs that may be vacant on a day
// instead of every org: vacancy_since, the first day one is ('' for before every day), and
// vacancy_until, the day after the last span of it ('~', which sorts after every day, when it
// does not end); absent when it never is. What the rule reads can only turn on the days of the
// org's founding, dissolution, forms and secretary steps: the org is judged on '' and on each of
// them, a state holding until the next. Set only when they changed.
// Parameters: $ids (list of PartyOrg ids).
// Columns: none.
UNWIND $ids AS id
MATCH (o:PartyOrg {id: id})
WITH o, COLLECT {
  UNWIND [''] + ALIVE_TURNS(o) + FORM_TURNS(o) + coalesce(o.secretary_days, []) AS day
  WITH DISTINCT day WHERE day IS NOT NULL
  RETURN day ORDER BY day
} AS days
WITH o, days,
     [day IN days | ALIVE(o, day) AND TYPE_AT(o, day) <> 'group' AND SECRETARIES_AT(o, day) = 0]
       AS vacant
WITH o, days, [i IN range(0, size(days) - 1) WHERE vacant[i]] AS spans
WITH o,
     CASE WHEN spans <> [] THEN days[spans[0]] END AS since,
     CASE WHEN spans = [] THEN null
          WHEN spans[-1] = size(days) - 1 THEN '~'
          ELSE days[spans[-1] + 1] END AS until
WHERE NOT (o.vacancy_since = since AND o.vacancy_until = until)
   OR (o.vacancy_since IS NULL) <> (since IS NULL)
SET o.vacancy_since = since, o.vacancy_until = until
FINISH
