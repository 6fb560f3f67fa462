// Works out afresh the resident steps of some buildings: the days on which the count of the
// party members living in a building (LIVES_IN it, MEMBER_AT) changes, by member category, and
// the change on each — so that a gap list reads one short list per building instead of every
// resident (RESIDENTS_AT; gaps_buildings_walk counts the residents). A resident counts on a day
// by MEMBER_AT and can only turn on the day it compares with (MEMBER_TURNS), so each resident is
// judged on '' (before every day) and on each of their turns, as member_steps_refresh judges a
// membership. Kept in day order, one entry per day and category ('' for none); changes that
// cancel are dropped; set only when they changed.
// Parameters: $ids (list of Building ids).
// Columns: none.
UNWIND $ids AS id
MATCH (b:Building {id: id})
CALL (b) {
  OPTIONAL MATCH (b)<-[:LIVES_IN]-(p:Person)
  WHERE p.party_member
  WITH p, [''] + [turn IN MEMBER_TURNS(p) WHERE turn IS NOT NULL] AS turns
  UNWIND turns AS day
  WITH DISTINCT p, turns, day
  WITH p, day,
       reduce(prior = null, turn IN turns |
              CASE WHEN turn < day AND (prior IS NULL OR turn > prior) THEN turn ELSE prior END)
         AS prior
  WITH p, day,
       CASE WHEN p IS NOT NULL AND MEMBER_AT(p, day) THEN 1 ELSE 0 END
       - CASE WHEN prior IS NOT NULL AND MEMBER_AT(p, prior) THEN 1 ELSE 0 END AS change
  WHERE change <> 0
  WITH coalesce(p.member_category, '') AS kind, day, sum(change) AS change
  WHERE change <> 0
  WITH kind, day, change ORDER BY day, kind
  RETURN CASE WHEN count(*) > 0 THEN collect(day) END AS days,
         CASE WHEN count(*) > 0 THEN collect(kind) END AS kinds,
         CASE WHEN count(*) > 0 THEN collect(change) END AS changes
}
WITH b, days, kinds, changes
WHERE NOT (b.resident_days = days AND b.resident_kinds = kinds AND b.resident_changes = changes)
   OR (b.resident_days IS NULL) <> (days IS NULL)
SET b.resident_days = days, b.resident_kinds = kinds, b.resident_changes = changes
FINISH
