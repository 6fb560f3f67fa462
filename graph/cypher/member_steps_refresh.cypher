// Works out afresh the member steps of some party organizations: the days on which the count
// of an org's party members changes, by member category, and the change on each — so that a
// question reads one short list per org instead of every membership (MEMBERS_AT, MEMBER_STEPS_AT).
// A membership counts on a day by the rules every question reads — the MEMBER_OF is current
// then (CURRENT) and the person a party member by then (MEMBER_AT) — and can only turn on the
// days those rules compare with (CURRENT_TURNS, MEMBER_TURNS). So each membership is judged on
// '' (before every day) and on each of its turns, and changes by its state there less its state
// on the turn before. Kept in day order, one entry per day and category ('' for none); changes
// that cancel are dropped; set only when they changed. The org's own founding, dissolution and
// places are not folded in: the questions read those where the org counts (COUNTS_ON, ALIVE).
// Parameters: $ids (list of PartyOrg ids).
// Columns: none.
UNWIND $ids AS id
MATCH (o:PartyOrg {id: id})
CALL (o) {
  OPTIONAL MATCH (o)<-[m:MEMBER_OF]-(p:Person)
  WITH m, p, [''] + [turn IN CURRENT_TURNS(m) + MEMBER_TURNS(p) WHERE turn IS NOT NULL] AS turns
  UNWIND turns AS day
  WITH DISTINCT m, p, turns, day
  WITH m, p, day,
       reduce(prior = null, turn IN turns |
              CASE WHEN turn < day AND (prior IS NULL OR turn > prior) THEN turn ELSE prior END)
         AS prior
  WITH p, day,
       CASE WHEN m IS NOT NULL AND CURRENT(m, day) AND MEMBER_AT(p, day) THEN 1 ELSE 0 END
       - CASE WHEN prior IS NOT NULL AND CURRENT(m, prior) AND MEMBER_AT(p, prior) THEN 1
              ELSE 0 END AS change
  WHERE change <> 0
  WITH coalesce(p.member_category, '') AS kind, day, sum(change) AS change
  WHERE change <> 0
  WITH kind, day, change ORDER BY day, kind
  RETURN CASE WHEN count(*) > 0 THEN collect(day) END AS days,
         CASE WHEN count(*) > 0 THEN collect(kind) END AS kinds,
         CASE WHEN count(*) > 0 THEN collect(change) END AS changes
}
WITH o, days, kinds, changes
WHERE NOT (o.member_days = days AND o.member_kinds = kinds AND o.member_changes = changes)
   OR (o.member_days IS NULL) <> (days IS NULL)
SET o.member_days = days, o.member_kinds = kinds, o.member_changes = changes
FINISH
