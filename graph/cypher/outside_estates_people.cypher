// The persons whose mark of a party member living in no estate (outside_estates_refresh) a load
// (or an undo) may have changed: the people it wrote (their party standing, their home) and
// those living in the buildings whose estate it wrote or let go of; for everything ($everyone),
// the party members living in no estate and those marked so, the only ones whose mark can be
// wrong (a person neither is unmarked and needs no mark).
// Parameters: $everyone (bool), $people (person ids), $buildings (building ids).
// Columns: ids (one row: the id of each person, in no order).
CALL () {
  UNWIND CASE WHEN $everyone THEN [true] ELSE [] END AS everything
  MATCH (p:Person {party_member: true})
  WHERE LIVES_IN_NO_ESTATE(p)
  RETURN p
  UNION
  UNWIND CASE WHEN $everyone THEN [true] ELSE [] END AS everything
  MATCH (p:Person {outside_estates: true})
  RETURN p
  UNION
  UNWIND $people AS id
  MATCH (p:Person {id: id})
  RETURN p
  UNION
  UNWIND $buildings AS id
  MATCH (:Building {id: id})<-[:LIVES_IN]-(p:Person)
  RETURN p
}
RETURN collect(p.id) AS ids
