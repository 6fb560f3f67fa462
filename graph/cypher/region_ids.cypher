// Every community's, street's and district's id, by level.
// Parameters: none.
// Columns: communities, streets, districts (one row: a list of ids each).
MATCH (r:District|Street|Community)
RETURN [r IN collect(r) WHERE r:Community | r.id] AS communities,
       [r IN collect(r) WHERE r:Street | r.id] AS streets,
       [r IN collect(r) WHERE r:District | r.id] AS districts
