// Every party organization's id.
// Parameters: none.  Columns: id.
MATCH (o:PartyOrg)
RETURN o.id AS id
