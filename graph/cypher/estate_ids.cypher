// Every estate's id.
// Parameters: none.  Columns: id.
MATCH (e:Estate)
RETURN e.id AS id
