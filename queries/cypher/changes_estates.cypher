// What became of the estates of a scope between two days (DESIGN §4, valid time), comparing
// the network on $since with the network on $until: each estate built in between, and each
// whose party organization (a party org covering it, COVERS_AT) began or ended — the
// coverage of `orgnet coverage` on each day.
// Parameters: $scope (district, street or community id; empty or null for everything), $since, $until
//             ('YYYY-MM-DD', $since before $until).
// Columns: estate_id, estate, community_id, community, households, built (built in between),
//          covered_before, covered_after (booleans).
MATCH (root:Entity) WHERE root.id = $scope OR (coalesce($scope, '') = '' AND root:District)
MATCH (root)<-[:PART_OF*0..3]-(e:Estate)
WITH DISTINCT e
WHERE BUILT(e, $until)
WITH e, NOT BUILT(e, $since) AS built,
     BUILT(e, $since)
     AND EXISTS { (:PartyOrg)-[covers:COVERS]->(e) WHERE COVERS_AT(covers, $since) }
       AS covered_before,
     EXISTS { (:PartyOrg)-[covers:COVERS]->(e) WHERE COVERS_AT(covers, $until) } AS covered_after
WHERE built OR covered_before <> covered_after
OPTIONAL MATCH (e)-[:PART_OF]->(c:Community)
RETURN e.id AS estate_id, e.name AS estate, c.id AS community_id, c.name AS community,
       e.households AS households, built, covered_before, covered_after
ORDER BY community_id, estate_id
