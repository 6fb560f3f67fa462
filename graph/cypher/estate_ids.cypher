// Every estate's id.
// Parameters: none.  Columns: ids (one row: the list).
MATCH (e:Estate)
RETURN collect(e.id) AS ids
