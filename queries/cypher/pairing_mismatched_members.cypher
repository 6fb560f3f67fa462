// Party members reported (双报到, current at $as_of) to a community other than the one they live
// in (DESIGN §4). A member is in a scope when they live in it or report to one of its communities.
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: person_id, person, phone (PII: mask before showing), lives_in_id, lives_in
//          (community), reported_to_id, reported_to (community), since (or null).
// Where a reporter lives is read from their home community, and only those who report away from
// it on some day are read (home_community, reports_away, kept by the loader in
// homes_refresh.cypher; a reporter living in no community is in no list): unscoped, by the
// reports_away index; in a scope, those living in one of its communities (by the
// home_community index) and those who report to one (pairing_mismatched_members_walk walks the
// scope's residents).
CALL () {
  UNWIND CASE WHEN coalesce($scope, '') = '' THEN [true] ELSE [] END AS everything
  MATCH (m:Person {reports_away: true})
  RETURN m
  UNION
  MATCH (:Entity {id: $scope})<-[:PART_OF*0..2]-(c:Community)
  WITH DISTINCT c
  CALL (c) {
    MATCH (m:Person {home_community: c.id})
    USING INDEX m:Person(home_community)
    WHERE m.reports_away
    RETURN m
    UNION
    MATCH (c)<-[:REPORTED_TO]-(m:Person)
    WHERE m.reports_away
    RETURN m
  }
  RETURN m
}
MATCH (m)-[r:REPORTED_TO]->(other:Community)
WITH m, r, other
WHERE CURRENT(r) AND other.id <> m.home_community
MATCH (home:Community {id: m.home_community})
RETURN m.id AS person_id, m.name AS person, m.phone AS phone, home.id AS lives_in_id,
       home.name AS lives_in, other.id AS reported_to_id, other.name AS reported_to,
       r.since AS since
ORDER BY person_id, reported_to_id
