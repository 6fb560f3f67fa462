// What taking back a load will touch, for the derived links to be worked out again after and
// for the undo's record: the nodes it created (their label), the links it created (their type
// and source) and the versions it kept (the node's label, or the link's type and source).
// Parameters: $load.
// Columns: what ('created_node' | 'created_link' | 'version'), kind ('node' | 'link'),
//          name (a label or a relationship type), id (a node's id, or a link's source's),
//          other (a link's target's id; null for a node).
CALL () {
  MATCH (n:Entity) WHERE n.load_created = $load
  RETURN 'created_node' AS what, 'node' AS kind,
         [l IN labels(n) WHERE l <> 'Entity'][0] AS name, n.id AS id, null AS other
  UNION ALL
  MATCH (a)-[r]->(b) WHERE r.load_created = $load
  RETURN 'created_link' AS what, 'link' AS kind, type(r) AS name, a.id AS id, b.id AS other
  UNION ALL
  MATCH (v:Version {version_load: $load})
  MATCH (n:Entity {id: coalesce(v.version_of, v.version_from)})
  RETURN 'version' AS what, v.version_kind AS kind,
         CASE v.version_kind WHEN 'node' THEN [l IN labels(n) WHERE l <> 'Entity'][0]
              ELSE v.version_type END AS name,
         n.id AS id, v.version_to AS other
}
RETURN what, kind, name, id, other
