// Upsert nodes of one label, keyed by id.
// Template: {label} is filled from graph.model.Label only, never from input.
// Parameters: $rows — list of {id: string, props: map}; a null in props removes that property.
// Returns: nothing (counters: nodes_created).
UNWIND $rows AS row
MERGE (n:{label} {id: row.id})
  ON CREATE SET n:Entity
SET n += row.props
