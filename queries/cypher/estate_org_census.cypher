// Party organizations at estate and building level in a scope, by type: the figures the seed
// articles state as "across N estates, X general branches, Y branches and Z building groups".
// An org counts when, at $as_of, it exists and covers (COVERS_AT) an estate of the scope built by
// then (BUILT) or one of its buildings, and counts by its type then (TYPE_AT).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: type (org type code), orgs (integer).
MATCH (root:Entity) WHERE root.id = $scope OR (coalesce($scope, '') = '' AND root:District)
MATCH (root)<-[:PART_OF*0..3]-(e:Estate)<-[:PART_OF*0..1]-(place)<-[covers:COVERS]-(o:PartyOrg)
WHERE BUILT(e) AND COVERS_AT(covers)
WITH DISTINCT o
RETURN TYPE_AT(o) AS type, count(o) AS orgs
ORDER BY orgs DESC, type
