// Set properties of a functional relationship an entity already has, whatever its target: a
// later roster that gives a link's property but not its target (persons.member_since without
// party_org_id, emptied) changes the link it names, and nothing else. Provenance as
// merge_relationships keeps it.
// Template: {type} is filled from graph.model.Rel only.
// Parameters: $rows — list of {source: id, props: map, source_row: 'file:row'}, a null in
//             props removing that property; $load (the load's number).
// Returns: changed (links changed; counters: properties_set, nodes_created = versions).
UNWIND $rows AS row
MATCH (a:Entity {id: row.source})-[r:{type}]->(b)
WITH a, b, r, row,
     any(k IN keys(row.props)
         WHERE NOT coalesce(r[k] = row.props[k], r[k] IS NULL AND row.props[k] IS NULL))
       AS changes
WITH a, b, r, row, changes, changes AND coalesce(r.load_changed, -1) <> $load AS first_change
FOREACH (_ IN CASE WHEN first_change THEN [1] ELSE [] END |
  CREATE (v:Version)
  SET v = properties(r), v.version_load = $load, v.version_kind = 'link',
      v.version_change = 'changed', v.version_type = type(r), v.version_from = a.id,
      v.version_to = b.id, v.version_source = row.source_row
)
FOREACH (_ IN CASE WHEN changes THEN [1] ELSE [] END |
  SET r += row.props, r.load_changed = $load, r.load_source = row.source_row
)
RETURN count(CASE WHEN first_change THEN 1 END) AS changed
