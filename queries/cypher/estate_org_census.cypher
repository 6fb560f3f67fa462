// Party organizations at estate and building level in a scope, by type: the figures the seed
// articles state as "across N estates, X general branches, Y branches and Z building groups".
// An org counts when it covers an estate of the scope or one of its buildings.
// Parameters: $scope (district, street or community id; null for everything).
// Columns: type (org type code), orgs (integer).
MATCH (root:Entity) WHERE root.id = $scope OR ($scope IS NULL AND root:District)
MATCH (root)<-[:PART_OF*0..4]-(place)<-[:COVERS]-(o:PartyOrg)
WHERE place:Estate OR place:Building
WITH DISTINCT o
RETURN o.type AS type, count(o) AS orgs
ORDER BY orgs DESC, type
