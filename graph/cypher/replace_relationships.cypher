// Set a functional relationship (one target per source): any other target of the same type is
// let go, then the relationship to the named target is merged. A row without a target lets go
// of every target of the type (its cell was emptied in a later roster).
// The source is locked first — a property written and removed at once, which takes its write
// lock until commit — so that another transaction writing the same source waits, then sees
// what this one wrote: two writers can never each keep a target the other did not see.
// Provenance as merge_relationships keeps it; a link let go of is kept, as it was, in a Version
// node (version_change 'cleared'), unless this load created it.
// Template: {type} is filled from graph.model.Rel only.
// Parameters: $rows — list of {source: id, target: id or null, key: map, props: map,
//             source_row: 'file:row'}; $load (the load's number).
// Returns: changed (links changed; counters: relationships_created, relationships_deleted,
//          nodes_created = versions of links changed and let go of).
UNWIND $rows AS row
MATCH (a:Entity {id: row.source})
SET a._lock = true
REMOVE a._lock
WITH a, row
CALL (a, row) {
  MATCH (a)-[old:{type}]->(other)
  WHERE row.target IS NULL OR other.id <> row.target
  FOREACH (_ IN CASE WHEN coalesce(old.load_created, -1) <> $load THEN [1] ELSE [] END |
    CREATE (v:Version)
    SET v = properties(old), v.version_load = $load, v.version_kind = 'link',
        v.version_change = 'cleared', v.version_type = type(old), v.version_from = a.id,
        v.version_to = other.id, v.version_source = row.source_row
  )
  DELETE old
}
WITH a, row
WHERE row.target IS NOT NULL
MATCH (b:Entity {id: row.target})
MERGE (a)-[r:{type}]->(b)
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
