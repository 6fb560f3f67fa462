// Estates of a scope without a party organization covering them (DESIGN §4), each with the party
// members at $as_of (MEMBER_AT) living in its buildings (floating members not counted), whether
// party work reaches it anyway (work-covered) and whether it is an actionable gap (应建未建:
// $actionable_from members or more, the Party Constitution's three).
// Valid time (DESIGN §4): at $as_of it reads estates built by then (BUILT) and covers that count
// then (COVERS_AT).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD'),
//             $actionable_from (int).
// Columns: estate_id, estate, community_id, community, households (int or null), members (int),
//          work_covered (bool), actionable (bool).
MATCH (root:Entity) WHERE root.id = $scope OR (coalesce($scope, '') = '' AND root:District)
MATCH (root)<-[:PART_OF*0..3]-(e:Estate)
MATCH (e)-[:PART_OF]->(c:Community)
WITH DISTINCT e, c
WHERE BUILT(e) AND NOT EXISTS { (:PartyOrg)-[covers:COVERS]->(e) WHERE COVERS_AT(covers) }
WITH e, c,
     COUNT {
       (p:Person)-[:LIVES_IN]->(:Building)-[:PART_OF]->(e)
       WHERE MEMBER_AT(p) AND coalesce(p.member_category, '') <> 'floating'
     } AS members,
     EXISTS {
       ()-[covers:COVERS]->(:Grid)<-[:IN_GRID]-(:Building)-[:PART_OF]->(e)
       WHERE COVERS_AT(covers)
     }
     OR EXISTS {
       (:Person)-[h:HOLDS {role: 'party_guide'}]->(e)
       WHERE CURRENT(h)
     } AS work_covered
RETURN e.id AS estate_id, e.name AS estate, c.id AS community_id, c.name AS community,
       e.households AS households, members, work_covered, members >= $actionable_from AS actionable
ORDER BY actionable DESC, members DESC, estate_id
