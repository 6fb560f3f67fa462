// The loader's node upsert without provenance (no load numbers, no file:row, no versions): what
// graph/cypher/merge_nodes.cypher wrote before the graph kept where each fact came from. For the
// load benchmark's comparison only.
// Template: {label} as in merge_nodes.
// Parameters: $rows — list of {id: string, props: map, source: ignored}; $load (ignored).
// Returns: changed (always 0; counters: nodes_created).
UNWIND $rows AS row
MERGE (n:{label} {id: row.id})
  ON CREATE SET n:Entity
SET n += row.props
WITH count(*) AS _
RETURN 0 AS changed
