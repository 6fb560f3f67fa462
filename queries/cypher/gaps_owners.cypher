// Estates of a scope built by $as_of (BUILT) with no owners' committee (业委会) or management
// committee (物管会) existing then (ALIVE) (DESIGN §4).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: estate_id, estate, community_id, community, households (int or null).
MATCH (root:Entity) WHERE root.id = $scope OR (coalesce($scope, '') = '' AND root:District)
MATCH (root)<-[:PART_OF*0..3]-(e:Estate)
MATCH (e)-[:PART_OF]->(c:Community)
WITH DISTINCT e, c
WHERE BUILT(e) AND NOT EXISTS { (oc:OwnersCommittee)-[:REPRESENTS]->(e) WHERE ALIVE(oc) }
RETURN e.id AS estate_id, e.name AS estate, c.id AS community_id, c.name AS community,
       e.households AS households
ORDER BY estate_id
