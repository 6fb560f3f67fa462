// Every owners' committee's id.
// Parameters: none.  Columns: id.
MATCH (c:OwnersCommittee)
RETURN c.id AS id
