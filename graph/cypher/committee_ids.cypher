// Every owners' committee's id.
// Parameters: none.  Columns: ids (one row: the list).
MATCH (c:OwnersCommittee)
RETURN collect(c.id) AS ids
