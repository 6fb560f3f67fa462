// The communities whose report steps a load (or an undo) may have changed: those it wrote
// reports to or took them back from, those the people it wrote report to (their member category
// and party standing), and those it let reports to go (the versions load $load kept of them);
// with $everyone, every community.
// Parameters: $everyone (bool), $communities (ids), $people (person ids), $load (the load's
//             number, or null).
// Columns: ids (one row: the id of each community, in no order).
CALL () {
  UNWIND CASE WHEN $everyone THEN [true] ELSE [] END AS everything
  MATCH (c:Community)
  RETURN c
  UNION
  UNWIND $communities AS id
  MATCH (c:Community {id: id})
  RETURN c
  UNION
  UNWIND $people AS id
  MATCH (:Person {id: id})-[:REPORTED_TO]->(c:Community)
  RETURN c
  UNION
  MATCH (v:Version {version_load: $load})
  WHERE v.version_type = 'REPORTED_TO'
  MATCH (c:Community {id: v.version_to})
  RETURN c
}
RETURN collect(c.id) AS ids
