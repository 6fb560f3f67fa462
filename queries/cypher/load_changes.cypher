// What one load did, thing by thing (docs/model.md, Provenance): the nodes and links it created
// (still there, or taken back with it), and the nodes and links whose earlier state it kept as
// a version when it changed or let go of them — each with the file:row that did it.
// Parameters: $load (the load's number), $most (at most this many rows).
// Columns: action ('created' | 'changed' | 'cleared'), label (a node's label), id, name, link
//          (a link's type; null for a node), other_id, other_label, other_name (a link's
//          target), file_row.
CALL () {
  MATCH (n:Entity) WHERE n.load_created = $load
  RETURN 'created' AS action, n, null AS link, null AS m, n.load_source AS file_row
  UNION ALL
  MATCH (n)-[r]->(m) WHERE r.load_created = $load
  RETURN 'created' AS action, n, type(r) AS link, m, r.load_source AS file_row
  UNION ALL
  MATCH (v:Version {version_load: $load})
  MATCH (n:Entity {id: coalesce(v.version_of, v.version_from)})
  OPTIONAL MATCH (m:Entity {id: v.version_to})
  RETURN v.version_change AS action, n, v.version_type AS link, m, v.version_source AS file_row
}
WITH action, n, link, m, file_row
WITH action, n, link, m, file_row, split(coalesce(file_row, ''), ':') AS at
ORDER BY at[0], toInteger(at[-1]), n.id, link, m.id
LIMIT $most
RETURN action, [l IN labels(n) WHERE l <> 'Entity'][0] AS label, n.id AS id, n.name AS name,
       link, m.id AS other_id, [l IN labels(m) WHERE l <> 'Entity'][0] AS other_label,
       m.name AS other_name, file_row
