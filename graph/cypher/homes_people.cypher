// The persons whose home community (homes_refresh) a load (or an undo) may have changed: the
// people it wrote (their home, their member category, their reports) and those living in the
// buildings it wrote or let go of the estate of, or in the estates it wrote or let go of the
// community of; for everything ($everyone), the in-service members, those who report to a
// community and those with a home community kept, the only ones whose can be wrong (those
// reported away have one).
// Parameters: $everyone (bool), $people (person ids), $places (ids of the places whose PART_OF
//             it wrote or let go of).
// Columns: ids (one row: the id of each person, in no order).
CALL () {
  UNWIND CASE WHEN $everyone THEN [true] ELSE [] END AS everything
  MATCH (p:Person {member_category: 'in_service'})
  RETURN p
  UNION
  UNWIND CASE WHEN $everyone THEN [true] ELSE [] END AS everything
  MATCH (p:Person)-[:REPORTED_TO]->()
  RETURN p
  UNION
  UNWIND CASE WHEN $everyone THEN [true] ELSE [] END AS everything
  MATCH (p:Person) WHERE p.home_community IS NOT NULL
  RETURN p
  UNION
  UNWIND $people AS id
  MATCH (p:Person {id: id})
  RETURN p
  UNION
  UNWIND $places AS id
  MATCH (:Building {id: id})<-[:LIVES_IN]-(p:Person)
  RETURN p
  UNION
  UNWIND $places AS id
  MATCH (:Estate {id: id})<-[:PART_OF]-(:Building)<-[:LIVES_IN]-(p:Person)
  RETURN p
}
RETURN collect(p.id) AS ids
