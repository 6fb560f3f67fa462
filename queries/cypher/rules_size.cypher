// Size rules (DESIGN §4). The members of an org are the persons MEMBER_OF it or one of its
// groups; its subtree members are those of it and every org below it. A branch with more than
// 50 members should become a general branch; a branch with fewer than 3 should go joint; a branch
// or general branch with 100 or more subtree members should become a committee.
// An org is in a scope when it SERVES it (docs/model.md, Derived relationships): it covers a
// place of the scope, is based in a firm managing one of its estates or in a unit located in
// its street(s), or reports (at any depth) to such an org.
// Parameters: $scope (district, street or community id; null for everything), $as_of ('YYYY-MM-DD').
// Columns: org_id, org, type, level, members (int), subtree_members (int),
//          rule ('become_general_branch' | 'go_joint' | 'become_committee').
CALL () {
  UNWIND CASE WHEN $scope IS NULL THEN [true] ELSE [] END AS everything
  MATCH (org:PartyOrg) RETURN org
  UNION ALL
  MATCH (:Entity {id: $scope})<-[:SERVES]-(org:PartyOrg) RETURN org
}
WITH org
WHERE org.type IN ['branch', 'general_branch']
CALL (org) {
  MATCH (org)<-[:REPORTS_TO*0..1]-(x:PartyOrg)<-[m:MEMBER_OF]-(p:Person)
  WHERE (x = org OR x.type = 'group') AND (m.since IS NULL OR m.since <= $as_of)
  RETURN count(DISTINCT p) AS members
}
CALL (org) {
  MATCH (org)<-[:REPORTS_TO*0..]-(x:PartyOrg)<-[m:MEMBER_OF]-(p:Person)
  WHERE m.since IS NULL OR m.since <= $as_of
  RETURN count(DISTINCT p) AS subtree_members
}
UNWIND [
  CASE WHEN org.type = 'branch' AND members > 50 THEN 'become_general_branch' END,
  CASE WHEN org.type = 'branch' AND members < 3 THEN 'go_joint' END,
  CASE WHEN subtree_members >= 100 THEN 'become_committee' END
] AS rule
WITH org, members, subtree_members, rule WHERE rule IS NOT NULL
RETURN org.id AS org_id, org.name AS org, org.type AS type, org.level AS level,
       members, subtree_members, rule
ORDER BY rule, org_id
