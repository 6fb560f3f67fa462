// Upsert nodes of one label, keyed by id, keeping their provenance (docs/model.md, Provenance):
// a node this load creates carries it as load_created and load_changed, and the file:row that
// wrote it as load_source; a node it changes keeps the load and row of the change, and its
// properties as they were before are kept in a Version node (version_* keys name the change),
// once per load — so that `orgnet history` can show each version and `orgnet loads undo` put
// them back. A row that changes nothing leaves the node, its provenance and the versions alone.
// Template: {label} is filled from graph.model.Label only, never from input.
// Parameters: $rows — list of {id: string, props: map, source: 'file:row'}, a null in props
//             removing that property; $load (the load's number).
// Returns: changed (the nodes this statement changed; counters: nodes_created, which counts
//          the Version nodes too).
UNWIND $rows AS row
MERGE (n:{label} {id: row.id})
  ON CREATE SET n:Entity, n += row.props, n.load_created = $load, n.load_changed = $load,
                n.load_source = row.source
WITH n, row,
     any(k IN keys(row.props)
         WHERE NOT coalesce(n[k] = row.props[k], n[k] IS NULL AND row.props[k] IS NULL))
       AS changes
WITH n, row, changes, changes AND coalesce(n.load_changed, -1) <> $load AS first_change
FOREACH (_ IN CASE WHEN first_change THEN [1] ELSE [] END |
  CREATE (v:Version)
  SET v = properties(n), v.version_load = $load, v.version_kind = 'node',
      v.version_change = 'changed', v.version_of = n.id, v.version_source = row.source
)
FOREACH (_ IN CASE WHEN changes THEN [1] ELSE [] END |
  SET n += row.props, n.load_changed = $load, n.load_source = row.source
)
RETURN count(CASE WHEN first_change THEN 1 END) AS changed
