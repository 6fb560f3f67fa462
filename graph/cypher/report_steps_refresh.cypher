// Works out afresh the report steps of some communities: the days on which the count of the
// in-service party members reported to a community (双报到: a REPORTED_TO to it current then,
// CURRENT; member_category in_service and a party member by then, MEMBER_AT; each once) changes,
// and the change on each — so that the pairing balance reads one short list per community
// instead of every report (REPORTERS_AT; pairing_communities_walk reads the reports). Either
// rule can only turn on the days it compares with (CURRENT_TURNS, MEMBER_TURNS): each person is
// judged on '' (before every day) and on each of their turns, as seat_steps_refresh judges a
// committee's members. Kept in day order, one entry per day; changes that cancel are dropped;
// set only when they changed.
// Parameters: $ids (list of Community ids).
// Columns: none.
UNWIND $ids AS id
MATCH (c:Community {id: id})
CALL (c) {
  OPTIONAL MATCH (m:Person {member_category: 'in_service'})-[r:REPORTED_TO]->(c)
  WITH m, collect(r) AS reports
  WITH m, reports,
       [''] + [turn IN MEMBER_TURNS(m) + reduce(of = [], r IN reports | of + CURRENT_TURNS(r))
               WHERE turn IS NOT NULL] AS turns
  UNWIND turns AS day
  WITH DISTINCT m, reports, turns, day
  WITH m, reports, day,
       reduce(prior = null, turn IN turns |
              CASE WHEN turn < day AND (prior IS NULL OR turn > prior) THEN turn ELSE prior END)
         AS prior
  WITH day,
       CASE WHEN m IS NOT NULL AND MEMBER_AT(m, day)
                 AND any(r IN reports WHERE CURRENT(r, day)) THEN 1 ELSE 0 END
       - CASE WHEN prior IS NOT NULL AND MEMBER_AT(m, prior)
                   AND any(r IN reports WHERE CURRENT(r, prior)) THEN 1 ELSE 0 END AS change
  WHERE change <> 0
  WITH day, sum(change) AS change
  WHERE change <> 0
  WITH day, change ORDER BY day
  RETURN CASE WHEN count(*) > 0 THEN collect(day) END AS days,
         CASE WHEN count(*) > 0 THEN collect(change) END AS changes
}
WITH c, days, changes
WHERE NOT (c.report_days = days AND c.report_changes = changes)
   OR (c.report_days IS NULL) <> (days IS NULL)
SET c.report_days = days, c.report_changes = changes
FINISH
