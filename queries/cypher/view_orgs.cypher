// The party organizations of a scope for a structure view (SCOPE_ORGS, current at $as_of):
// what each covers, the org it reports to, and its current secretaries.
// Parameters: $scope (a district, street or community id), $as_of.
// Columns: id, name, type, level, parent_id (or null), covers (ids), secretaries (list of
//   {id, name, phone}).
SCOPE_ORGS(org)
WITH org
OPTIONAL MATCH (org)-[:REPORTS_TO]->(parent:PartyOrg)
RETURN org.id AS id, org.name AS name, org.type AS type, org.level AS level,
       parent.id AS parent_id,
       COLLECT { MATCH (org)-[:COVERS]->(p) RETURN p.id ORDER BY p.id } AS covers,
       COLLECT { MATCH (s:Person)-[h:HOLDS {role: 'secretary'}]->(org) WHERE CURRENT(h)
                 RETURN {id: s.id, name: s.name, phone: s.phone} ORDER BY s.id } AS secretaries
ORDER BY id
