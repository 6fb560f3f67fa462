// Hierarchy integrity judged on every org of the scope (rules_integrity reads only those its
// flag names; the differential test holds the two equal): each org of $scope at $as_of
// (SCOPE_ORGS) with a row for each hierarchy rule it breaks then (HIERARCHY_PROBLEMS).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: org_id, org, level, type, parent_id (or null), parent_level (or null),
//          parent_type (or null), problem ('no_parent' | 'not_below_parent' | 'type_not_below_parent').
SCOPE_ORGS(org)
WITH org, HIERARCHY_PROBLEMS(org) AS problems
WHERE problems <> []
OPTIONAL MATCH (org)-[:REPORTS_TO]->(parent:PartyOrg)
  WHERE ALIVE(parent)
UNWIND problems AS problem
RETURN org.id AS org_id, org.name AS org, LEVEL_AT(org) AS level, TYPE_AT(org) AS type,
       parent.id AS parent_id, LEVEL_AT(parent) AS parent_level, TYPE_AT(parent) AS parent_type,
       problem
ORDER BY problem, org_id
