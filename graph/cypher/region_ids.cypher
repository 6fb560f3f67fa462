// Every community's, street's and district's id, by level.
// Parameters: none.
// Columns: communities, streets, districts (one row: a list of ids each).
MATCH (r:District|Street|Community)
WITH collect(r) AS regions
RETURN [r IN regions WHERE r:Community | r.id] AS communities,
       [r IN regions WHERE r:Street | r.id] AS streets,
       [r IN regions WHERE r:District | r.id] AS districts
