// Census (DESIGN §4), second table, read by walking every membership: what census_members
// reads from the member steps, kept to hold the steps to the rules they summarise (the
// differential tests). The members of a scope's party organizations (SCOPE_ORGS)
// by member category. A member counts by a MEMBER_OF current at $as_of (CURRENT), and only once
// a party member at that date (MEMBER_AT: not one who joins later); MEMBER_OF is functional (one
// org per person), so nobody counts twice.
// Valid time (DESIGN §4): at $as_of it reads orgs and committees that exist then (ALIVE).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: category (code, or null when none is recorded), members (int); largest first, then
//          by category.
CALL () {
  UNWIND CASE WHEN coalesce($scope, '') = '' THEN [true] ELSE [] END AS everything
  MATCH (p)-[m:MEMBER_OF]->(org)
  WHERE CURRENT(m) AND ALIVE(org) AND MEMBER_AT(p)
  RETURN p
  UNION ALL
  SERVING_ORGS(org)
  MATCH (org)<-[m:MEMBER_OF]-(p)
  WHERE CURRENT(m) AND MEMBER_AT(p)
  RETURN p
}
RETURN p.member_category AS category, count(*) AS members
ORDER BY members DESC, category
