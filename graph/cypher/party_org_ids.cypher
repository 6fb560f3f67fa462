// Every party organization's id.
// Parameters: none.  Columns: ids (one row: the list).
MATCH (o:PartyOrg)
RETURN collect(o.id) AS ids
