// The members reported away from home, read by walking every resident of the scope: what
// pairing_mismatched_members finds through their home communities, kept to hold those to the
// rule (the differential tests).
// Party members reported (双报到, current at $as_of) to a community other than the one they live
// in (DESIGN §4). A member is in a scope when they live in it or report to one of its communities.
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: person_id, person, phone (PII: mask before showing), lives_in_id, lives_in
//          (community), reported_to_id, reported_to (community), since (or null).
// Unscoped, every report is read once (by its type); in a scope, the scope's residents who
// report somewhere and those who report to one of its communities.
CALL () {
  UNWIND CASE WHEN coalesce($scope, '') = '' THEN [true] ELSE [] END AS everything
  MATCH (m:Person)-[:REPORTED_TO]->(:Community)
  RETURN m
  UNION
  MATCH (:Entity {id: $scope})<-[:PART_OF*0..2]-(c:Community)
  WITH DISTINCT c
  CALL (c) {
    MATCH (c)<-[:PART_OF]-(:Estate)<-[:PART_OF]-(:Building)<-[:LIVES_IN]-(m:Person)
          -[r:REPORTED_TO]->(:Community)
    RETURN m
    UNION
    MATCH (c)<-[:REPORTED_TO]-(m:Person)
    RETURN m
  }
  RETURN m
}
WITH DISTINCT m
MATCH (m)-[:LIVES_IN]->(:Building)-[:PART_OF]->(:Estate)-[:PART_OF]->(home:Community)
MATCH (m)-[r:REPORTED_TO]->(other:Community)
WHERE other <> home AND CURRENT(r)
RETURN m.id AS person_id, m.name AS person, m.phone AS phone, home.id AS lives_in_id,
       home.name AS lives_in, other.id AS reported_to_id, other.name AS reported_to,
       r.since AS since
ORDER BY person_id, reported_to_id
