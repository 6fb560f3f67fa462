// Works out afresh when some party organizations break a hierarchy rule (HIERARCHY_PROBLEMS:
// no parent at a territorial level, a level or type not below the parent's) while they exist
// (ALIVE), so that rules_integrity reads the orgs that may break one at a day instead of judging
// every org: hierarchy_since, the first day one is broken ('' for before every day), and
// hierarchy_until, the day after the last span of it ('~', which sorts after every day, when it
// does not end); absent when none ever is. What the rules read can only turn on the days the
// org's and its parent's founding, dissolution and forms change (ALIVE_TURNS, FORM_TURNS): the
// org is judged on '' and on each of them, a state holding until the next.
// Run after the SERVES refresh of the same orgs, which copies their forms onto them
// (form_since …): for every org whose links, row or parent's row a load wrote (serves_orgs,
// with the orgs below those at any depth). Set only when they changed.
// Parameters: $ids (list of PartyOrg ids).
// Columns: none.
UNWIND $ids AS id
MATCH (o:PartyOrg {id: id})
OPTIONAL MATCH (o)-[:REPORTS_TO]->(up:PartyOrg)
WITH o, collect(up) AS ups
WITH o, COLLECT {
  UNWIND [''] + ALIVE_TURNS(o) + FORM_TURNS(o)
         + reduce(of = [], up IN ups | of + ALIVE_TURNS(up) + FORM_TURNS(up)) AS day
  WITH DISTINCT day WHERE day IS NOT NULL
  RETURN day ORDER BY day
} AS days
WITH o, days,
     [day IN days | CASE WHEN ALIVE(o, day) THEN HIERARCHY_PROBLEMS(o, day) <> [] ELSE false END]
       AS broken
WITH o, days, [i IN range(0, size(days) - 1) WHERE broken[i]] AS spans
WITH o,
     CASE WHEN spans <> [] THEN days[spans[0]] END AS since,
     CASE WHEN spans = [] THEN null
          WHEN spans[-1] = size(days) - 1 THEN '~'
          ELSE days[spans[-1] + 1] END AS until
WHERE NOT (o.hierarchy_since = since AND o.hierarchy_until = until)
   OR (o.hierarchy_since IS NULL) <> (since IS NULL)
SET o.hierarchy_since = since, o.hierarchy_until = until
FINISH
