// The in-service members who report nowhere, read by walking every resident of the scope: what
// pairing_unreported_members finds through their home communities, kept to hold those to the
// rule (the differential tests).
// In-service party members (在职党员) living in a scope (LIVES_IN one of its buildings) who are
// reported to no community at $as_of (双报到 missing, DESIGN §4).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: person_id, person, phone (PII: mask before showing), community_id, community
//          (where they live), employer_id (or null), employer (or null).
// Unscoped, the in-service members are found by the member_category index, and those reported
// nowhere followed to where they live (the walk costs more than the test: a fifth of them are
// walked); in a scope, the scope's residents are walked and tested.
CALL () {
  UNWIND CASE WHEN coalesce($scope, '') = '' THEN [true] ELSE [] END AS everything
  MATCH (m:Person {member_category: 'in_service'})
  WHERE MEMBER_AT(m) AND NOT EXISTS { (m)-[r:REPORTED_TO]->() WHERE CURRENT(r) }
  MATCH (m)-[:LIVES_IN]->(:Building)-[:PART_OF]->(:Estate)-[:PART_OF]->(c:Community)
  RETURN m, c
  UNION ALL
  MATCH (:Entity {id: $scope})<-[:PART_OF*0..2]-(c:Community)
  WITH DISTINCT c
  MATCH (c)<-[:PART_OF]-(:Estate)<-[:PART_OF]-(:Building)
        <-[:LIVES_IN]-(m:Person {member_category: 'in_service'})
  WHERE MEMBER_AT(m) AND NOT EXISTS { (m)-[r:REPORTED_TO]->() WHERE CURRENT(r) }
  RETURN m, c
}
OPTIONAL MATCH (m)-[:WORKS_AT]->(employer)
RETURN m.id AS person_id, m.name AS person, m.phone AS phone, c.id AS community_id,
       c.name AS community, employer.id AS employer_id, employer.name AS employer
ORDER BY community_id, person_id
