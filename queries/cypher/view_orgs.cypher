// The party organizations of a scope for a structure view (SCOPE_ORGS, current at $as_of):
// what each covers, the org it reports to, and its current secretaries.
// Valid time (DESIGN §4): at $as_of it reads orgs and committees that exist then (ALIVE), covers
// that count then (COVERS_AT), an org's type then (TYPE_AT) and its level then (LEVEL_AT).
// Parameters: $scope (a district, street or community id), $as_of.
// Columns: id, name, type, level, parent_id (or null), covers (ids), secretaries (list of
//   {id, name, phone}).
SCOPE_ORGS(org)
WITH org
OPTIONAL MATCH (org)-[:REPORTS_TO]->(parent:PartyOrg)
  WHERE ALIVE(parent)
RETURN org.id AS id, org.name AS name, TYPE_AT(org) AS type, LEVEL_AT(org) AS level,
       parent.id AS parent_id,
       COLLECT { MATCH (org)-[c:COVERS]->(p) WHERE COVERS_AT(c) RETURN p.id ORDER BY p.id }
         AS covers,
       COLLECT { MATCH (s:Person)-[h:HOLDS {role: 'secretary'}]->(org) WHERE CURRENT(h)
                 RETURN {id: s.id, name: s.name, phone: s.phone} ORDER BY s.id } AS secretaries
ORDER BY id
