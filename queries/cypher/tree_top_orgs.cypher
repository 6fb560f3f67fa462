// The top of the party org tree of a scope: the orgs that count in it (SCOPE_ORGS) and report
// to no org that counts in it too (everything: the orgs that report to none).
// Valid time (DESIGN §4): at $as_of it reads orgs and committees that exist then (ALIVE), covers
// that count then (COVERS_AT), an org's type then (TYPE_AT) and its level then (LEVEL_AT).
// Parameters: $scope (a district, street or community id, or empty or null), $as_of.
// Columns: id, label, name, type, level, children, covers.
SCOPE_ORGS(o)
OPTIONAL MATCH (o)-[:REPORTS_TO]->(up:PartyOrg)
  WHERE ALIVE(up)
WITH o, up
WHERE up IS NULL
   OR (coalesce($scope, '') <> ''
       AND NOT EXISTS { MATCH (up)-[s:SERVES]->(:Entity {id: $scope}) WHERE CURRENT(s) })
RETURN o.id AS id, 'PartyOrg' AS label, o.name AS name, TYPE_AT(o) AS type, LEVEL_AT(o) AS level,
       COUNT { (child:PartyOrg)-[:REPORTS_TO]->(o) WHERE ALIVE(child) } AS children,
       COUNT { MATCH (o)-[c:COVERS]->() WHERE COVERS_AT(c) } AS covers
ORDER BY id
LIMIT 2000
