// Party organizations at estate and building level in a scope, by type: the figures the seed
// articles state as "across N estates, X general branches, Y branches and Z building groups".
// An org counts in a scope when it covers an estate or building of that scope.
// Parameters: $scope (district, street or community id, or null for all).
// Columns: type (org type code), orgs (integer).
MATCH (e:Estate)-[:PART_OF]->(c:Community)-[:PART_OF]->(s:Street)-[:PART_OF]->(d:District)
WHERE $scope IS NULL OR $scope IN [c.id, s.id, d.id]
MATCH (o:PartyOrg)-[:COVERS]->(target)
WHERE target = e OR (target:Building AND (target)-[:PART_OF]->(e))
WITH DISTINCT o
RETURN o.type AS type, count(o) AS orgs
ORDER BY orgs DESC
