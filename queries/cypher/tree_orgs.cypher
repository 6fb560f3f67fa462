// One level of the party org tree: the orgs that report to an org, each with how many report
// to it in turn, its type and level, and the places it covers now.
// Valid time (DESIGN §4): at $as_of it reads orgs and committees that exist then (ALIVE), covers
// that count then (COVERS_AT), an org's type then (TYPE_AT) and its level then (LEVEL_AT).
// Parameters: $id (a party org id), $as_of.
// Columns: id, label, name, type, level, children, covers.
MATCH (o:PartyOrg)-[:REPORTS_TO]->(:PartyOrg {id: $id})
WHERE ALIVE(o)
RETURN o.id AS id, 'PartyOrg' AS label, o.name AS name, TYPE_AT(o) AS type, LEVEL_AT(o) AS level,
       COUNT { (child:PartyOrg)-[:REPORTS_TO]->(o) WHERE ALIVE(child) } AS children,
       COUNT { MATCH (o)-[c:COVERS]->() WHERE COVERS_AT(c) } AS covers
ORDER BY id
LIMIT 2000
