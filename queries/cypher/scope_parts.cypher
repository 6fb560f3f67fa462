// The places a scope is made of one level down, for a question that asks them side by side
// (each on a core of its own): a district's streets, a street's communities; a community is its
// own; everything is its districts.
// Parameters: $scope (district, street or community id; empty or null for everything).
// Columns: id.
MATCH (root:Entity) WHERE root.id = $scope OR (coalesce($scope, '') = '' AND root:District)
OPTIONAL MATCH (part:Entity)-[:PART_OF]->(root)
  WHERE coalesce($scope, '') <> '' AND (part:Street OR part:Community)
WITH CASE WHEN part IS NULL THEN root ELSE part END AS place
RETURN DISTINCT place.id AS id
ORDER BY id
