// Vacancies, read by walking every post: what rules_vacancies reads from the secretary steps,
// kept to hold the steps to the rule they summarise (the differential tests).
// Party organizations of a scope (SCOPE_ORGS), other than groups (党小组), with no secretary
// post current at $as_of (DESIGN §4).
// Valid time (DESIGN §4): at $as_of it reads orgs and committees that exist then (ALIVE), an org's
// type then (TYPE_AT) and its level then (LEVEL_AT).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: org_id, org, type, level, parent_id (or null), last_until (the latest ended
//          secretary post's until, or null if there never was one).
SCOPE_ORGS(org)
WITH org, TYPE_AT(org) AS type
WHERE type <> 'group'
  AND NOT EXISTS { (:Person)-[h:HOLDS {role: 'secretary'}]->(org) WHERE CURRENT(h) }
OPTIONAL MATCH (org)-[:REPORTS_TO]->(parent:PartyOrg)
  WHERE ALIVE(parent)
OPTIONAL MATCH (:Person)-[ended:HOLDS {role: 'secretary'}]->(org)
  WHERE ended.until IS NOT NULL AND ended.until <= $as_of
RETURN org.id AS org_id, org.name AS org, type, LEVEL_AT(org) AS level,
       parent.id AS parent_id, max(ended.until) AS last_until
ORDER BY org_id
