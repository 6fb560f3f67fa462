// Census (DESIGN §4), second table: the members of a scope's party organizations (SCOPE_ORGS)
// by member category. A member counts by a MEMBER_OF current at $as_of (CURRENT), and only once
// a party member at that date (MEMBER_AT: not one who joins later); MEMBER_OF is functional (one
// org per person), so nobody counts twice. Read from each org's member steps, which judge every
// membership by those rules (MEMBER_STEPS_AT; census_members_walk reads the memberships).
// Valid time (DESIGN §4): at $as_of it reads orgs and committees that exist then (ALIVE).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: category (code, or null when none is recorded), members (int); largest first, then
//          by category.
SCOPE_ORGS(org)
UNWIND MEMBER_STEPS_AT(org) AS step
WITH org.member_kinds[step] AS kind, sum(org.member_changes[step]) AS members
WHERE members <> 0
RETURN CASE WHEN kind <> '' THEN kind END AS category, members
ORDER BY members DESC, category
