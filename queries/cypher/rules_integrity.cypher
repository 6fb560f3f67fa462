// Hierarchy integrity (DESIGN §4): orgs with no parent whose level is community, grid, estate or
// building (street, unit and sector orgs may be roots); children whose territorial level is not
// below their parent's (street > community > grid > estate > building; unit and sector are not
// ranked); and children whose type is not below their parent's (working committee > committee >
// general branch > branch > group, a group's parent being a general branch or a branch) — the
// rules of HIERARCHY_PROBLEMS. An org breaking two rules has a row for each.
// REPORTS_TO cycles never reach the graph: the loader rejects them.
// An org is in a scope when it serves it at $as_of (SCOPE_ORGS). Only the orgs that may break a
// rule at $as_of are judged: those whose span of broken rules (hierarchy_since to
// hierarchy_until, worked out by the loader in hierarchy_refresh.cypher) holds it
// (MAY_BREAK_HIERARCHY), found by the
// index on hierarchy_until for everything, among the orgs serving it in a scope (an org's
// spans hold on days far from $as_of more often than it serves a given scope);
// rules_integrity_walk judges every org of the scope.
// Valid time (DESIGN §4): at $as_of it reads orgs that exist then (ALIVE), an org's type then
// (TYPE_AT) and its level then (LEVEL_AT).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: org_id, org, level, type, parent_id (or null), parent_level (or null),
//          parent_type (or null), problem ('no_parent' | 'not_below_parent' | 'type_not_below_parent').
CALL () {
  UNWIND CASE WHEN coalesce($scope, '') = '' THEN [true] ELSE [] END AS everything
  MATCH (org:PartyOrg)
  WHERE MAY_BREAK_HIERARCHY(org) AND ALIVE(org)
  RETURN org
  UNION ALL
  SERVING_ORGS(org)
  WHERE MAY_BREAK_HIERARCHY(org)
  RETURN org
}
WITH org, HIERARCHY_PROBLEMS(org) AS problems
WHERE problems <> []
OPTIONAL MATCH (org)-[:REPORTS_TO]->(parent:PartyOrg)
  WHERE ALIVE(parent)
UNWIND problems AS problem
RETURN org.id AS org_id, org.name AS org, LEVEL_AT(org) AS level, TYPE_AT(org) AS type,
       parent.id AS parent_id, LEVEL_AT(parent) AS parent_level, TYPE_AT(parent) AS parent_type,
       problem
ORDER BY problem, org_id
