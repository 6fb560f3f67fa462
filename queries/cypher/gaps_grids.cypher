// Grids of a scope with no grid-level party organization covering them (一网格一支部, DESIGN §4):
// at $as_of, no cover that counts then (COVERS_AT) by an org whose level then (LEVEL_AT) is grid.
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: grid_id, grid, community_id, community, households (int or null), buildings (int).
MATCH (root:Entity) WHERE root.id = $scope OR (coalesce($scope, '') = '' AND root:District)
MATCH (root)<-[:PART_OF*0..3]-(g:Grid)
MATCH (g)-[:PART_OF]->(c:Community)
WITH DISTINCT g, c
WHERE NOT EXISTS { (o:PartyOrg)-[covers:COVERS]->(g) WHERE COVERS_AT(covers) AND LEVEL_AT(o) = 'grid' }
RETURN g.id AS grid_id, g.name AS grid, c.id AS community_id, c.name AS community,
       g.households AS households, COUNT { (g)<-[:IN_GRID]-(:Building) } AS buildings
ORDER BY grid_id
