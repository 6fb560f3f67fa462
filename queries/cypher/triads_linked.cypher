// How many estates of a scope have a triad (三方联动, DESIGN §4) that a person links at $as_of:
// the count of the linked rows estate_triads would return, read from the triad steps alone
// (TRIAD_AT).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: linked (one row: the count).
MATCH (root:Entity) WHERE root.id = $scope OR (coalesce($scope, '') = '' AND root:District)
MATCH (root)<-[:PART_OF*0..2]-(:Community)<-[:PART_OF]-(e:Estate)
WHERE TRIAD_AT(e) = 2
RETURN count(e) AS linked
