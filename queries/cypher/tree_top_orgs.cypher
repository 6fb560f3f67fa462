// The top of the party org tree of a scope: the orgs that count in it (SCOPE_ORGS) and report
// to no org that counts in it too (everything: the orgs that report to none).
// Parameters: $scope (a district, street or community id, or null), $as_of.
// Columns: id, label, name, type, level, children, covers.
SCOPE_ORGS(o)
OPTIONAL MATCH (o)-[:REPORTS_TO]->(up:PartyOrg)
WITH o, up
WHERE up IS NULL
   OR ($scope IS NOT NULL
       AND NOT EXISTS { MATCH (up)-[s:SERVES]->(:Entity {id: $scope}) WHERE CURRENT(s) })
RETURN o.id AS id, 'PartyOrg' AS label, o.name AS name, o.type AS type, o.level AS level,
       COUNT { (:PartyOrg)-[:REPORTS_TO]->(o) } AS children,
       COUNT { MATCH (o)-[c:COVERS]->() WHERE CURRENT(c) } AS covers
ORDER BY id
LIMIT 2000
