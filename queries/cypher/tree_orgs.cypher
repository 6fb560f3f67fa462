// One level of the party org tree: the orgs that report to an org, each with how many report
// to it in turn, its type and level, and the places it covers now.
// Parameters: $id (a party org id), $as_of.
// Columns: id, label, name, type, level, children, covers.
MATCH (o:PartyOrg)-[:REPORTS_TO]->(:PartyOrg {id: $id})
RETURN o.id AS id, 'PartyOrg' AS label, o.name AS name, o.type AS type, o.level AS level,
       COUNT { (:PartyOrg)-[:REPORTS_TO]->(o) } AS children,
       COUNT { MATCH (o)-[c:COVERS]->() WHERE CURRENT(c) } AS covers
ORDER BY id
LIMIT 2000
