// Estates of a scope that no property firm manages at $as_of (DESIGN §4). Those managed by the community
// (community_run) or by their owners (self_managed) are covered by a fallback model; the others
// (unmanaged, or no status recorded) are gaps.
// Valid time (DESIGN §4): at $as_of it reads estates built by then (BUILT).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: estate_id, estate, community_id, community, households (int or null),
//          property_status (code or null), fallback (bool).
MATCH (root:Entity) WHERE root.id = $scope OR (coalesce($scope, '') = '' AND root:District)
MATCH (root)<-[:PART_OF*0..3]-(e:Estate)
MATCH (e)-[:PART_OF]->(c:Community)
WITH DISTINCT e, c
WHERE BUILT(e) AND NOT EXISTS { (:PropertyFirm)-[m:MANAGES]->(e) WHERE CURRENT(m) }
RETURN e.id AS estate_id, e.name AS estate, c.id AS community_id, c.name AS community,
       e.households AS households, e.property_status AS property_status,
       coalesce(e.property_status IN ['community_run', 'self_managed'], false) AS fallback
ORDER BY fallback, estate_id
