// Every district's, street's and community's id.
// Parameters: none.  Columns: ids (one row: the list).
MATCH (r:District|Street|Community)
RETURN collect(r.id) AS ids
