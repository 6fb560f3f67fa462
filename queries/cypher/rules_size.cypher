// Size rules (DESIGN §4). The members of an org are the persons currently MEMBER_OF it or one of
// its groups and party members at $as_of (CURRENT, MEMBER_AT); its subtree members are those of
// it and every org below it. A branch with more than $branch_most members should become a
// general branch; a branch with fewer than $branch_least should go joint; a branch or general
// branch with $committee_from or more subtree members should become a committee.
// An org is in a scope when it serves it at $as_of (SERVING_ORGS); unscoped, only the orgs that
// are a branch or a general branch on some day (sized, marked with their size steps) are read,
// by an index. Each org's members and subtree
// members are read from its size steps, which the loader works out by those rules from the
// member steps of the orgs at and below it (OWN_MEMBERS_AT, SUBTREE_MEMBERS_AT;
// rules_size_walk walks the subtree and counts the memberships).
// Valid time (DESIGN §4): at $as_of it reads orgs and committees that exist then (ALIVE), an org's
// type then (TYPE_AT) and its level then (LEVEL_AT).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD'),
//             $branch_least, $branch_most, $committee_from (the thresholds, ints).
// Columns: org_id, org, type, level, members (int), subtree_members (int),
//          rule ('become_general_branch' | 'go_joint' | 'become_committee').
CALL () {
  UNWIND CASE WHEN coalesce($scope, '') = '' THEN [true] ELSE [] END AS everything
  MATCH (org:PartyOrg {sized: true})
  WHERE ALIVE(org)
  RETURN org
  UNION ALL
  SERVING_ORGS(org)
  RETURN org
}
WITH org, TYPE_AT(org) AS type
WHERE type IN ['branch', 'general_branch']
WITH org, type, OWN_MEMBERS_AT(org) AS members, SUBTREE_MEMBERS_AT(org) AS subtree_members
UNWIND [
  CASE WHEN type = 'branch' AND members > $branch_most THEN 'become_general_branch' END,
  CASE WHEN type = 'branch' AND members < $branch_least THEN 'go_joint' END,
  CASE WHEN subtree_members >= $committee_from THEN 'become_committee' END
] AS rule
WITH org, type, members, subtree_members, rule WHERE rule IS NOT NULL
RETURN org.id AS org_id, org.name AS org, type, LEVEL_AT(org) AS level,
       members, subtree_members, rule
ORDER BY rule, org_id
