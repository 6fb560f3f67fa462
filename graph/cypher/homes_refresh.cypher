// Works out afresh the home community of some persons: the id of the community they live in
// (LIVES_IN a building PART_OF an estate PART_OF it), kept as home_community for the in-service
// members and for those who report to a community (双报到), absent for everyone else; and
// reports_away: true for those of them who report (on any day) to a community other than it,
// absent otherwise; and for the in-service members, when they may be reported nowhere: a party
// member (MEMBER_AT) with no report current (CURRENT) — unreported_since, the first day they are
// ('' for before every day), and unreported_until, the day after the last span of it ('~', which
// sorts after every day, when it does not end), absent when never; what the rule reads can only
// turn on their joining and the days of their reports, on each of which (and on '') they are
// judged. So the pairing lists find a scope's in-service members who may report nowhere and
// those reported away through an index instead of walking every resident of the scope
// (pairing_unreported_members_walk and pairing_mismatched_members_walk walk them). Whether they
// count on a day (MEMBER_AT, a current report) is judged where they are read. Set only when
// they changed.
// Parameters: $ids (list of Person ids).
// Columns: none.
UNWIND $ids AS id
MATCH (p:Person {id: id})
CALL (p) {
  OPTIONAL MATCH (p)-[r:REPORTED_TO]->(c:Community)
  RETURN collect(c.id) AS reported, collect(r) AS reports
}
WITH p, reported, reports,
     CASE WHEN p.member_category = 'in_service' OR reported <> []
          THEN head(COLLECT {
            MATCH (p)-[:LIVES_IN]->(:Building)-[:PART_OF]->(:Estate)-[:PART_OF]->(c:Community)
            RETURN c.id ORDER BY c.id
          }) END AS home
WITH p, home, reports,
     CASE WHEN home IS NOT NULL AND any(other IN reported WHERE other <> home) THEN true END
       AS away,
     CASE WHEN p.member_category = 'in_service' THEN COLLECT {
       UNWIND [''] + MEMBER_TURNS(p) + reduce(of = [], r IN reports | of + CURRENT_TURNS(r)) AS day
       WITH DISTINCT day WHERE day IS NOT NULL
       RETURN day ORDER BY day
     } ELSE [] END AS days
WITH p, home, away, days,
     [day IN days | MEMBER_AT(p, day) AND NOT any(r IN reports WHERE CURRENT(r, day))] AS alone
WITH p, home, away, days, [i IN range(0, size(days) - 1) WHERE alone[i]] AS spans
WITH p, home, away,
     CASE WHEN spans <> [] THEN days[spans[0]] END AS since,
     CASE WHEN spans = [] THEN null
          WHEN spans[-1] = size(days) - 1 THEN '~'
          ELSE days[spans[-1] + 1] END AS until
WHERE (p.home_community IS NULL) <> (home IS NULL) OR p.home_community <> home
   OR (p.reports_away IS NULL) <> (away IS NULL)
   OR (p.unreported_since IS NULL) <> (since IS NULL) OR p.unreported_since <> since
   OR p.unreported_until <> until
SET p.home_community = home, p.reports_away = away,
    p.unreported_since = since, p.unreported_until = until
FINISH
