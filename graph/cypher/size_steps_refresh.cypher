// Works out afresh the size steps of some party organizations: the days on which the count of an
// org's members, or of its subtree members, changes as the size rules count them (rules_size_walk:
// the party members of every org at or below it that exists then, ALIVE, read from their member
// steps, MEMBERS_AT; its members those of the org itself and of the groups directly below it,
// TYPE_AT), and the change of each on that day — so that the size rules read one short list per
// org instead of walking its subtree (OWN_MEMBERS_AT, SUBTREE_MEMBERS_AT). What an org at or
// below it adds can only turn on the days of its member steps, founding and dissolution (and,
// directly below it, its forms): each is judged on '' and on each of them. Kept only for the orgs
// that are a branch or a general branch on some day (their row's type or one of their forms),
// which are marked sized: true (absent on the others) for the size rules to find by an index;
// in day order, one entry per day; days on which neither count changes are dropped; set only
// when they changed.
// Parameters: $ids (list of PartyOrg ids).
// Columns: none.
UNWIND $ids AS id
MATCH (o:PartyOrg {id: id})
WITH o, CASE WHEN any(type IN [o.type] + coalesce(o.form_type, [])
                      WHERE type IN ['branch', 'general_branch']) THEN true END AS sized
CALL (o, sized) {
  // Each org at or below it is judged on its own turns only, and changes the counts by its
  // state there less its state on its turn before; the changes of every org are summed by day.
  UNWIND CASE WHEN sized THEN [true] ELSE [] END AS kept
  MATCH walk = (o)<-[:REPORTS_TO*0..]-(x:PartyOrg)
  WITH x, length(walk) AS depth
  WITH x, depth, COLLECT {
    UNWIND [''] + coalesce(x.member_days, []) + ALIVE_TURNS(x)
           + CASE WHEN depth = 1 THEN FORM_TURNS(x) ELSE [] END AS day
    WITH DISTINCT day WHERE day IS NOT NULL
    RETURN day ORDER BY day
  } AS turns
  WITH x, turns,
       [day IN turns | CASE WHEN ALIVE(x, day) THEN MEMBERS_AT(x, day) ELSE 0 END] AS n,
       [day IN turns | depth = 0 OR (depth = 1 AND TYPE_AT(x, day) = 'group')] AS own
  UNWIND range(0, size(turns) - 1) AS i
  WITH turns[i] AS day,
       CASE WHEN own[i] THEN n[i] ELSE 0 END
       - CASE WHEN i > 0 AND own[i - 1] THEN n[i - 1] ELSE 0 END AS own_change,
       n[i] - CASE WHEN i > 0 THEN n[i - 1] ELSE 0 END AS subtree_change
  WITH day, sum(own_change) AS own, sum(subtree_change) AS subtree
  WHERE own <> 0 OR subtree <> 0
  WITH day, own, subtree ORDER BY day
  RETURN CASE WHEN count(*) > 0 THEN collect(day) END AS days,
         CASE WHEN count(*) > 0 THEN collect(own) END AS own,
         CASE WHEN count(*) > 0 THEN collect(subtree) END AS subtree
}
WITH o, sized, days, own, subtree
WHERE NOT (o.size_days = days AND o.size_own = own AND o.size_subtree = subtree)
   OR (o.size_days IS NULL) <> (days IS NULL)
   OR (o.sized IS NULL) <> (sized IS NULL)
SET o.sized = sized, o.size_days = days, o.size_own = own, o.size_subtree = subtree
FINISH
