// What taking back a load will touch, for the derived links to be worked out again after and
// for the undo's record: the nodes it created (their label), the links it created (their type
// and source) and the versions it kept (the node's label, or the link's type and source).
// Parameters: $load.
// Columns: what ('created_node' | 'created_link' | 'version'), kind ('node' | 'link'),
//          name (a label or a relationship type), id (a node's id, or a link's source's).
CALL () {
  MATCH (n:Entity) WHERE n.load_created = $load
  RETURN 'created_node' AS what, 'node' AS kind,
         [l IN labels(n) WHERE l <> 'Entity'][0] AS name, n.id AS id
  UNION ALL
  MATCH (a)-[r]->() WHERE r.load_created = $load
  RETURN 'created_link' AS what, 'link' AS kind, type(r) AS name, a.id AS id
  UNION ALL
  MATCH (v:Version {version_load: $load})
  MATCH (n:Entity {id: coalesce(v.version_of, v.version_from)})
  RETURN 'version' AS what, v.version_kind AS kind,
         CASE v.version_kind WHEN 'node' THEN [l IN labels(n) WHERE l <> 'Entity'][0]
              ELSE v.version_type END AS name,
         n.id AS id
}
RETURN what, kind, name, id
