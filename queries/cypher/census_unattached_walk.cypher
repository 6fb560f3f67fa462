// Census (DESIGN §4), beside the members, read by walking every resident: what
// census_unattached reads from the estates' unattached steps, kept to hold the steps to the rules
// they summarise (the differential tests). Party members at $as_of (MEMBER_AT) with no current
// MEMBER_OF (组织关系未落实: a floating member, a membership not yet transferred), by member
// category, counted where they live (LIVES_IN a building of the scope); unscoped, all of them,
// living anywhere or nowhere. Unscoped, these and census_members add up to every party member.
// Valid time (DESIGN §4): at $as_of it reads orgs and committees that exist then (ALIVE).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: category (code, or null when none is recorded), members (int); largest first, then
//          by category.
CALL () {
  UNWIND CASE WHEN coalesce($scope, '') = '' THEN [true] ELSE [] END AS everything
  MATCH (p:Person {party_member: true})
  RETURN p
  UNION ALL
  MATCH (:Entity {id: $scope})<-[:PART_OF*0..3]-(:Estate)<-[:PART_OF]-(:Building)<-[:LIVES_IN]-(p:Person)
  WHERE p.party_member
  RETURN p
}
WITH p
WHERE MEMBER_AT(p) AND NOT EXISTS { (p)-[m:MEMBER_OF]->(org) WHERE CURRENT(m) AND ALIVE(org) }
RETURN p.member_category AS category, count(*) AS members
ORDER BY members DESC, category
