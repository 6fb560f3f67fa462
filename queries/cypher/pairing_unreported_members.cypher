// In-service party members (在职党员) living in a scope (LIVES_IN one of its buildings) who are
// reported to no community at $as_of (双报到 missing, DESIGN §4).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: person_id, person, phone (PII: mask before showing), community_id, community
//          (where they live), employer_id (or null), employer (or null).
// Where an in-service member lives is read from their home community, and only those whose span
// of reporting nowhere holds $as_of are judged (home_community, unreported_since,
// unreported_until, kept by the loader in homes_refresh.cypher; MAY_BE_UNREPORTED): unscoped,
// found by the unreported_until index; in a scope, by the home_community index for each of its
// communities (pairing_unreported_members_walk walks the scope's residents).
CALL () {
  UNWIND CASE WHEN coalesce($scope, '') = '' THEN [true] ELSE [] END AS everything
  MATCH (m:Person)
  WHERE MAY_BE_UNREPORTED(m) AND m.member_category = 'in_service'
    AND m.home_community IS NOT NULL AND MEMBER_AT(m)
    AND NOT EXISTS { (m)-[r:REPORTED_TO]->() WHERE CURRENT(r) }
  MATCH (c:Community {id: m.home_community})
  RETURN m, c
  UNION ALL
  MATCH (:Entity {id: $scope})<-[:PART_OF*0..2]-(c:Community)
  WITH DISTINCT c
  MATCH (m:Person {home_community: c.id})
  USING INDEX m:Person(home_community)
  WHERE MAY_BE_UNREPORTED(m) AND m.member_category = 'in_service' AND MEMBER_AT(m)
    AND NOT EXISTS { (m)-[r:REPORTED_TO]->() WHERE CURRENT(r) }
  RETURN m, c
}
OPTIONAL MATCH (m)-[:WORKS_AT]->(employer)
RETURN m.id AS person_id, m.name AS person, m.phone AS phone, c.id AS community_id,
       c.name AS community, employer.id AS employer_id, employer.name AS employer
ORDER BY community_id, person_id
