// Works out afresh the seat steps of some owners' committees: the days on which the count of a
// committee's members (persons holding a chair, vice_chair or member post on it, each once) and
// of those among them who are party members change, and the change on each — so that the
// owners' question reads one short list per committee instead of every post (SEAT_STEPS_AT).
// A person sits on a day when one of their posts is current then (CURRENT), and counts as a
// party member when one by then (MEMBER_AT); either can only turn on the days those rules
// compare with (CURRENT_TURNS, MEMBER_TURNS). Each person is judged on '' (before every day)
// and on each of their turns, as member_steps_refresh judges a membership. Kept in day order,
// one entry per day and kind ('member' or 'party'); changes that cancel are dropped; set only
// when they changed.
// Parameters: $ids (list of OwnersCommittee ids).
// Columns: none.
UNWIND $ids AS id
MATCH (c:OwnersCommittee {id: id})
CALL (c) {
  OPTIONAL MATCH (p:Person)-[h:HOLDS]->(c)
  WHERE h.role IN ['chair', 'vice_chair', 'member']
  WITH p, collect(h) AS posts
  WITH p, posts,
       [''] + [turn IN MEMBER_TURNS(p) + reduce(of = [], h IN posts | of + CURRENT_TURNS(h))
               WHERE turn IS NOT NULL] AS turns
  UNWIND turns AS day
  WITH DISTINCT p, posts, turns, day
  WITH p, posts, day,
       reduce(prior = null, turn IN turns |
              CASE WHEN turn < day AND (prior IS NULL OR turn > prior) THEN turn ELSE prior END)
         AS prior
  WITH p, day, prior, any(h IN posts WHERE CURRENT(h, day)) AS seated,
       prior IS NOT NULL AND any(h IN posts WHERE CURRENT(h, prior)) AS was_seated
  UNWIND [
    {kind: 'member',
     change: CASE WHEN seated THEN 1 ELSE 0 END - CASE WHEN was_seated THEN 1 ELSE 0 END},
    {kind: 'party',
     change: CASE WHEN seated AND MEMBER_AT(p, day) THEN 1 ELSE 0 END
             - CASE WHEN was_seated AND MEMBER_AT(p, prior) THEN 1 ELSE 0 END}
  ] AS step
  WITH day, step WHERE step.change <> 0
  WITH step.kind AS kind, day, sum(step.change) AS change
  WHERE change <> 0
  WITH kind, day, change ORDER BY day, kind
  RETURN CASE WHEN count(*) > 0 THEN collect(day) END AS days,
         CASE WHEN count(*) > 0 THEN collect(kind) END AS kinds,
         CASE WHEN count(*) > 0 THEN collect(change) END AS changes
}
WITH c, days, kinds, changes
WHERE NOT (c.seat_days = days AND c.seat_kinds = kinds AND c.seat_changes = changes)
   OR (c.seat_days IS NULL) <> (days IS NULL)
SET c.seat_days = days, c.seat_kinds = kinds, c.seat_changes = changes
FINISH
