// The top of the party org tree of a scope: the orgs that count in it (SCOPE_ORGS) and report
// to no org that counts in it too.
// Parameters: $scope (a district, street or community id, or null), $as_of.
// Columns: id, label, name, type, level, children, covers.
SCOPE_ORGS(org)
WITH collect(org) AS orgs
UNWIND orgs AS o
OPTIONAL MATCH (o)-[:REPORTS_TO]->(up:PartyOrg)
WITH o, up, orgs
WHERE up IS NULL OR NOT up IN orgs
RETURN o.id AS id, 'PartyOrg' AS label, o.name AS name, o.type AS type, o.level AS level,
       COUNT { (:PartyOrg)-[:REPORTS_TO]->(o) } AS children,
       COUNT { MATCH (o)-[c:COVERS]->() WHERE CURRENT(c) } AS covers
ORDER BY id
LIMIT 2000
