// Size rules (DESIGN §4), read by walking every membership: what rules_size reads from the
// member steps, kept to hold the steps to the rules they summarise (the differential tests).
// The members of an org are the persons currently MEMBER_OF it or one of
// its groups and party members at $as_of (CURRENT, MEMBER_AT); its subtree members are those of
// it and every org below it. A branch with more than $branch_most members should become a
// general branch; a branch with fewer than $branch_least should go joint; a branch or general
// branch with $committee_from or more subtree members should become a committee.
// An org is in a scope when it serves it at $as_of (SCOPE_ORGS).
// Valid time (DESIGN §4): at $as_of it reads orgs and committees that exist then (ALIVE), an org's
// type then (TYPE_AT) and its level then (LEVEL_AT).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD'),
//             $branch_least, $branch_most, $committee_from (the thresholds, ints).
// Columns: org_id, org, type, level, members (int), subtree_members (int),
//          rule ('become_general_branch' | 'go_joint' | 'become_committee').
SCOPE_ORGS(org)
WITH org, TYPE_AT(org) AS type
WHERE type IN ['branch', 'general_branch']
CALL (org) {
  // One walk down the tree: each org below counts its current members once (MEMBER_OF is
  // functional and REPORTS_TO a tree, so nobody counts twice); the org itself and its groups
  // directly below make its members, everything below its subtree members.
  MATCH walk = (org)<-[:REPORTS_TO*0..]-(x:PartyOrg)
  WHERE ALIVE(x)
  WITH x, length(walk) = 0 OR (length(walk) = 1 AND TYPE_AT(x) = 'group') AS own,
       COUNT { (x)<-[m:MEMBER_OF]-(p) WHERE CURRENT(m) AND MEMBER_AT(p) } AS n
  RETURN sum(CASE WHEN own THEN n ELSE 0 END) AS members, sum(n) AS subtree_members
}
UNWIND [
  CASE WHEN type = 'branch' AND members > $branch_most THEN 'become_general_branch' END,
  CASE WHEN type = 'branch' AND members < $branch_least THEN 'go_joint' END,
  CASE WHEN subtree_members >= $committee_from THEN 'become_committee' END
] AS rule
WITH org, type, members, subtree_members, rule WHERE rule IS NOT NULL
RETURN org.id AS org_id, org.name AS org, type, LEVEL_AT(org) AS level,
       members, subtree_members, rule
ORDER BY rule, org_id
