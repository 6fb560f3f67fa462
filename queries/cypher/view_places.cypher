// The places of a street or community for a structure view: the scope itself and every
// community, grid, estate and building under it, each with the place it belongs to.
// Parameters: $scope (a district, street or community id).
// Columns: id, label, name, parent_id (PART_OF's target, null for the scope), grid_id (a
//   building's IN_GRID, else null), households (int or null).
MATCH (root:Entity {id: $scope})
MATCH (root)<-[:PART_OF*0..4]-(place)
OPTIONAL MATCH (place)-[:PART_OF]->(parent)
OPTIONAL MATCH (place)-[:IN_GRID]->(grid:Grid)
RETURN place.id AS id, [l IN labels(place) WHERE l <> 'Entity'][0] AS label,
       place.name AS name, CASE WHEN place = root THEN null ELSE parent.id END AS parent_id,
       grid.id AS grid_id, place.households AS households
ORDER BY id
