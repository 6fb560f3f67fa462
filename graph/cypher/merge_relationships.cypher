// Add relationships of one type between existing nodes, keyed by their ends (and {key}).
// Template: {type} is filled from graph.model.Rel and {key} from the model's key properties only.
// Parameters: $rows — list of {source: id, target: id, key: map, props: map}.
// Returns: nothing (counters: relationships_created).
UNWIND $rows AS row
MATCH (a:Entity {id: row.source})
MATCH (b:Entity {id: row.target})
MERGE (a)-[r:{type}{key}]->(b)
SET r += row.props
