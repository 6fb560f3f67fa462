// Every district's, street's and community's id.
// Parameters: none.  Columns: id.
MATCH (r:District|Street|Community)
RETURN r.id AS id
