// The owners' committees whose seat steps a load (or an undo) may have changed: those it wrote
// posts on or took them back from, those the people it wrote hold posts on (their party
// standing), and those it let posts on go (the versions load $load kept of them).
// Parameters: $committees (ids of the organizations it wrote posts on), $people (person ids),
//             $load (the load's number, or null).
// Columns: ids (one row: the id of each committee, in no order).
CALL () {
  UNWIND $committees AS id
  MATCH (c:OwnersCommittee {id: id})
  RETURN c
  UNION
  UNWIND $people AS id
  MATCH (:Person {id: id})-[:HOLDS]->(c:OwnersCommittee)
  RETURN c
  UNION
  MATCH (v:Version {version_load: $load})
  WHERE v.version_type = 'HOLDS'
  MATCH (c:OwnersCommittee {id: v.version_to})
  RETURN c
}
RETURN collect(c.id) AS ids
