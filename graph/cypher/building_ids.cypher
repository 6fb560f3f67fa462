// Every building's id.
// Parameters: none.  Columns: ids (one row: the list).
MATCH (b:Building)
RETURN collect(b.id) AS ids
