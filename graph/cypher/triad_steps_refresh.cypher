// Works out afresh the triad steps of some estates: the days on which an estate's triad (三方联动)
// changes — none, a triad nobody links, or one linked by a person — and the state from each,
// so that the cross question reads one short list per estate instead of its parties and their
// posts (TRIAD_AT).
// An estate has a triad on a day when it is built (BUILT), a party org covers it (COVERS_AT), an
// owners' committee representing it exists (ALIVE) and a property firm manages it (CURRENT);
// its parties are the orgs, committees and firms whose link to it is current and which exist,
// and a person links it when they hold current posts on parties of two kinds or more — as
// estate_triads_walk.cypher judges it. Each of these can only turn on the days its rule
// compares with (BUILT_TURNS, CURRENT_TURNS, ALIVE_TURNS), so the estate is judged on '' (before
// every day) and on each of them; a day is kept when the state differs from the one before
// (0 before the first). Set only when they changed; absent for an estate never with a triad.
// Parameters: $ids (list of Estate ids).
// Columns: none.
UNWIND $ids AS id
MATCH (e:Estate {id: id})
CALL (e) {
  WITH e, COLLECT {
    MATCH (e)<-[link:COVERS|REPRESENTS|MANAGES]-(body)
    WHERE body:PartyOrg OR body:OwnersCommittee OR body:PropertyFirm
    RETURN {link: link, body: body,
            kind: CASE WHEN type(link) = 'COVERS' AND body:PartyOrg THEN 'cover'
                       WHEN type(link) = 'REPRESENTS' AND body:OwnersCommittee THEN 'owners'
                       WHEN type(link) = 'MANAGES' AND body:PropertyFirm THEN 'manager' END}
  } AS ties
  WITH e, ties,
       all(kind IN ['cover', 'owners', 'manager'] WHERE any(tie IN ties WHERE tie.kind = kind))
         AS may_have_one
  WITH e, ties, CASE WHEN may_have_one THEN COLLECT {
    UNWIND ties AS tie
    WITH DISTINCT tie.body AS body
    MATCH (body)<-[post:HOLDS]-(person:Person)
    RETURN {person: person, post: post, body: body, side: labels(body)}
  } END AS posts
  WITH e, ties, posts,
       CASE WHEN posts IS NULL THEN []
            ELSE COLLECT {
              UNWIND [''] + BUILT_TURNS(e)
                     + reduce(of = [], tie IN ties | of + CURRENT_TURNS(tie.link)
                                                       + ALIVE_TURNS(tie.body))
                     + reduce(of = [], held IN posts | of + CURRENT_TURNS(held.post)) AS turn
              WITH DISTINCT turn WHERE turn IS NOT NULL
              RETURN turn ORDER BY turn
            } END AS days
  UNWIND days AS day
  WITH day,
       BUILT(e, day)
       AND any(tie IN ties WHERE tie.kind = 'cover' AND COVERS_AT(tie.link, day))
       AND any(tie IN ties WHERE tie.kind = 'owners' AND ALIVE(tie.body, day))
       AND any(tie IN ties WHERE tie.kind = 'manager' AND CURRENT(tie.link, day)) AS triad,
       [tie IN ties WHERE CURRENT(tie.link, day) AND ALIVE(tie.body, day) | tie.body] AS parties,
       posts
  WITH day, triad,
       [held IN posts WHERE held.body IN parties AND CURRENT(held.post, day)
        | [held.person, held.side]] AS sides
  WITH day,
       CASE WHEN triad THEN
              CASE WHEN any(one IN sides WHERE any(other IN sides
                                                   WHERE other[0] = one[0] AND other[1] <> one[1]))
                   THEN 2 ELSE 1 END
            ELSE 0 END AS state
  ORDER BY day
  WITH collect({day: day, state: state}) AS judged
  WITH [i IN range(0, size(judged) - 1)
        WHERE judged[i].state <> CASE WHEN i = 0 THEN 0 ELSE judged[i - 1].state END
        | judged[i]] AS steps
  RETURN CASE WHEN size(steps) > 0 THEN [step IN steps | step.day] END AS days,
         CASE WHEN size(steps) > 0 THEN [step IN steps | step.state] END AS states
}
WITH e, days, states
WHERE NOT (e.triad_days = days AND e.triad_states = states)
   OR (e.triad_days IS NULL) <> (days IS NULL)
SET e.triad_days = days, e.triad_states = states
FINISH
