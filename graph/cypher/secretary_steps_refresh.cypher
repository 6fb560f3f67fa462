// Works out afresh the secretary steps of some party organizations: the days on which the count
// of the org's secretary posts current then (CURRENT) changes, and the change on each — so that
// the vacancies read one short list per org instead of every post on it (SECRETARIES_AT;
// rules_vacancies_walk reads the posts). A post counts from its since ('' when it has none: before
// every day) and stops counting on its until; one whose until is not after its since is never
// current and counts nowhere. Kept in day order, one entry per day; changes that cancel (one
// secretary leaving the day another comes) are dropped. Beside them, secretary_ends: the days on
// which a secretary post ended (its until), in order, for the vacancies' last secretary. Set
// only when they changed.
// Parameters: $ids (list of PartyOrg ids).
// Columns: none.
UNWIND $ids AS id
MATCH (o:PartyOrg {id: id})
CALL (o) {
  OPTIONAL MATCH (:Person)-[h:HOLDS {role: 'secretary'}]->(o)
  WHERE h.since IS NULL OR h.until IS NULL OR h.since < h.until
  UNWIND CASE WHEN h IS NULL THEN []
              ELSE [{day: coalesce(h.since, ''), change: 1}]
                   + CASE WHEN h.until IS NULL THEN [] ELSE [{day: h.until, change: -1}] END
         END AS step
  WITH step.day AS day, sum(step.change) AS change
  WHERE change <> 0
  WITH day, change ORDER BY day
  RETURN CASE WHEN count(*) > 0 THEN collect(day) END AS days,
         CASE WHEN count(*) > 0 THEN collect(change) END AS changes
}
CALL (o) {
  OPTIONAL MATCH (:Person)-[h:HOLDS {role: 'secretary'}]->(o)
  WITH DISTINCT h.until AS day ORDER BY day
  RETURN CASE WHEN count(day) > 0 THEN collect(day) END AS ends
}
WITH o, days, changes, ends
WHERE NOT (o.secretary_days = days AND o.secretary_changes = changes
           AND o.secretary_ends = ends)
   OR (o.secretary_days IS NULL) <> (days IS NULL)
   OR (o.secretary_ends IS NULL) <> (ends IS NULL)
SET o.secretary_days = days, o.secretary_changes = changes, o.secretary_ends = ends
FINISH
