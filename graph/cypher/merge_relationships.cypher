// Add relationships of one type between existing nodes, keyed by their ends (and {key}),
// keeping their provenance as merge_nodes does: a link this load creates carries
// load_created, load_changed and load_source; a link it changes keeps its properties as they
// were in a Version node (version_kind 'link', its type, ends and key), once per load.
// Template: {type} is filled from graph.model.Rel and {key} from the model's key properties only.
// Parameters: $rows — list of {source: id, target: id, key: map, props: map, source_row:
//             'file:row'}; $load (the load's number).
// Returns: changed (links changed; counters: relationships_created, nodes_created = versions).
UNWIND $rows AS row
MATCH (a:Entity {id: row.source})
MATCH (b:Entity {id: row.target})
MERGE (a)-[r:{type}{key}]->(b)
  ON CREATE SET r += row.props, r.load_created = $load, r.load_changed = $load,
                r.load_source = row.source_row
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
