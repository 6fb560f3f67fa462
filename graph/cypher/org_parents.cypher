// The REPORTS_TO chain above each of some party organizations, as stored in the database.
// Parameters: $ids — list of PartyOrg ids.
// Columns: id (string), parent (string): one row per stored child → parent edge on those chains.
UNWIND $ids AS start
MATCH (:PartyOrg {id: start})-[:REPORTS_TO*0..]->(child:PartyOrg)-[:REPORTS_TO]->(parent:PartyOrg)
RETURN DISTINCT child.id AS id, parent.id AS parent
