// The buildings whose resident steps a load (or an undo) may have changed: where the people it
// wrote live, the buildings whose residents it wrote, and the homes it let go of (the versions
// load $load kept of them).
// Parameters: $people (person ids), $buildings (building ids), $load (the load's number, or null).
// Columns: ids (one row: the id of each building, in no order).
CALL () {
  UNWIND $people AS id
  MATCH (:Person {id: id})-[:LIVES_IN]->(b:Building)
  RETURN b
  UNION
  UNWIND $buildings AS id
  MATCH (b:Building {id: id})
  RETURN b
  UNION
  MATCH (v:Version {version_load: $load})
  WHERE v.version_type = 'LIVES_IN'
  MATCH (b:Building {id: v.version_to})
  RETURN b
}
RETURN collect(b.id) AS ids
