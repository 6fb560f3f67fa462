// Properties of a one-target relationship whatever its target, without provenance:
// update_relationships as it was before the graph kept where each fact came from. For the load
// benchmark's comparison only.
// Template: {type} as in update_relationships.
// Parameters: $rows — list of {source: id, props: map, source_row: ignored}; $load (ignored).
// Returns: changed (always 0; counters: properties_set).
UNWIND $rows AS row
MATCH (a:Entity {id: row.source})-[r:{type}]->()
SET r += row.props
WITH count(*) AS _
RETURN 0 AS changed
