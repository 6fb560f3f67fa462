// Buildings of org-covered estates in a scope with no group-level org (党小组) covering them,
// with the party members living there (DESIGN §4, building groups), read from each building's
// resident steps (RESIDENTS_AT; gaps_buildings_walk counts the residents).
// Valid time (DESIGN §4): at $as_of it reads estates built by then (BUILT), covers that count then
// (COVERS_AT) and an org's type then (TYPE_AT).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: building_id, building, estate_id, estate, members (int).
MATCH (root:Entity) WHERE root.id = $scope OR (coalesce($scope, '') = '' AND root:District)
MATCH (root)<-[:PART_OF*0..3]-(e:Estate)
WITH DISTINCT e
WHERE BUILT(e) AND EXISTS { (:PartyOrg)-[covers:COVERS]->(e) WHERE COVERS_AT(covers) }
MATCH (e)<-[:PART_OF]-(b:Building)
WHERE NOT EXISTS { (o:PartyOrg)-[covers:COVERS]->(b) WHERE COVERS_AT(covers) AND TYPE_AT(o) = 'group' }
RETURN b.id AS building_id, b.name AS building, e.id AS estate_id, e.name AS estate,
       RESIDENTS_AT(b) AS members
ORDER BY members DESC, building_id
