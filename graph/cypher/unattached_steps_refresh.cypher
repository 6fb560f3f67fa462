// Works out afresh the unattached steps of some estates: the days on which the count of the
// party members living in an estate (LIVES_IN one of its buildings) with no current membership
// of an existing org (组织关系未落实, census_unattached_walk) changes, by member category, and
// the change on each — so that the census reads one short list per estate instead of every
// resident (UNATTACHED_STEPS_AT). A resident is unattached on a day when a party member by then
// (MEMBER_AT) and no MEMBER_OF of theirs is current then (CURRENT) to an org that exists then
// (ALIVE), and can only turn on the days those rules compare with (MEMBER_TURNS, CURRENT_TURNS,
// ALIVE_TURNS). Each resident is judged on '' (before every day) and on each of their turns, as
// member_steps_refresh judges a membership. Kept in day order, one entry per day and category
// ('' for none); changes that cancel are dropped; set only when they changed.
// Parameters: $ids (list of Estate ids).
// Columns: none.
UNWIND $ids AS id
MATCH (e:Estate {id: id})
CALL (e) {
  OPTIONAL MATCH (e)<-[:PART_OF]-(:Building)<-[:LIVES_IN]-(p:Person)
  WHERE p.party_member
  WITH p, COLLECT {
    MATCH (p)-[m:MEMBER_OF]->(org:PartyOrg)
    RETURN {since: m.since, until: m.until, founded: org.founded, dissolved: org.dissolved}
  } AS ties
  WITH p, ties,
       [''] + [turn IN MEMBER_TURNS(p)
                       + reduce(of = [], tie IN ties |
                                of + CURRENT_TURNS(tie) + ALIVE_TURNS(tie))
               WHERE turn IS NOT NULL] AS turns
  UNWIND turns AS day
  WITH DISTINCT p, ties, turns, day
  WITH p, ties, day,
       reduce(prior = null, turn IN turns |
              CASE WHEN turn < day AND (prior IS NULL OR turn > prior) THEN turn ELSE prior END)
         AS prior
  WITH p, day,
       CASE WHEN p IS NOT NULL AND MEMBER_AT(p, day)
                 AND NOT any(tie IN ties WHERE CURRENT(tie, day) AND ALIVE(tie, day))
            THEN 1 ELSE 0 END
       - CASE WHEN prior IS NOT NULL AND MEMBER_AT(p, prior)
                   AND NOT any(tie IN ties WHERE CURRENT(tie, prior) AND ALIVE(tie, prior))
              THEN 1 ELSE 0 END AS change
  WHERE change <> 0
  WITH coalesce(p.member_category, '') AS kind, day, sum(change) AS change
  WHERE change <> 0
  WITH kind, day, change ORDER BY day, kind
  RETURN CASE WHEN count(*) > 0 THEN collect(day) END AS days,
         CASE WHEN count(*) > 0 THEN collect(kind) END AS kinds,
         CASE WHEN count(*) > 0 THEN collect(change) END AS changes
}
WITH e, days, kinds, changes
WHERE NOT (e.unattached_days = days AND e.unattached_kinds = kinds
           AND e.unattached_changes = changes)
   OR (e.unattached_days IS NULL) <> (days IS NULL)
SET e.unattached_days = days, e.unattached_kinds = kinds, e.unattached_changes = changes
FINISH
