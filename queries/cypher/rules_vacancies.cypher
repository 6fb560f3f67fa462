// Vacancies: party organizations of a scope (SCOPE_ORGS), other than groups (党小组), with no
// secretary post current at $as_of (DESIGN §4).
// Only the orgs that may be vacant at $as_of are judged: those whose span of vacancy
// (vacancy_since to vacancy_until, worked out by the loader in vacancy_refresh.cypher) holds it
// (MAY_BE_VACANT), found by the index on vacancy_until for everything, among the orgs serving it
// in a scope; their current secretary posts are read from their secretary steps
// (SECRETARIES_AT), the last one's end from secretary_ends. rules_vacancies_walk judges every
// org of the scope by its posts.
// Valid time (DESIGN §4): at $as_of it reads orgs and committees that exist then (ALIVE), an org's
// type then (TYPE_AT) and its level then (LEVEL_AT).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: org_id, org, type, level, parent_id (or null), last_until (the latest ended
//          secretary post's until, or null if there never was one).
CALL () {
  UNWIND CASE WHEN coalesce($scope, '') = '' THEN [true] ELSE [] END AS everything
  MATCH (org:PartyOrg)
  WHERE MAY_BE_VACANT(org) AND ALIVE(org)
  RETURN org
  UNION ALL
  SERVING_ORGS(org)
  WHERE MAY_BE_VACANT(org)
  RETURN org
}
WITH org, TYPE_AT(org) AS type
WHERE type <> 'group' AND SECRETARIES_AT(org) = 0
OPTIONAL MATCH (org)-[:REPORTS_TO]->(parent:PartyOrg)
  WHERE ALIVE(parent)
RETURN org.id AS org_id, org.name AS org, type, LEVEL_AT(org) AS level,
       parent.id AS parent_id,
       [ended IN coalesce(org.secretary_ends, []) WHERE ended <= $as_of][-1] AS last_until
ORDER BY org_id
