// Set properties of a functional relationship an entity already has, whatever its target: a
// later roster that gives a link's property but not its target (persons.member_since without
// party_org_id, emptied) changes the link it names, and nothing else.
// Template: {type} is filled from graph.model.Rel only.
// Parameters: $rows — list of {source: id, props: map}; a null in props removes that property.
// Returns: nothing (counters: properties_set).
UNWIND $rows AS row
MATCH (:Entity {id: row.source})-[r:{type}]->()
SET r += row.props
