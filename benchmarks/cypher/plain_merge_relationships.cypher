// The loader's relationship upsert without provenance: merge_relationships as it was before
// the graph kept where each fact came from. For the load benchmark's comparison only.
// Template: {type} and {key} as in merge_relationships.
// Parameters: $rows — list of {source: id, target: id, key: map, props: map, source_row:
//             ignored}; $load (ignored).
// Returns: changed (always 0; counters: relationships_created).
UNWIND $rows AS row
MATCH (a:Entity {id: row.source})
MATCH (b:Entity {id: row.target})
MERGE (a)-[r:{type}{key}]->(b)
SET r += row.props
WITH count(*) AS _
RETURN 0 AS changed
