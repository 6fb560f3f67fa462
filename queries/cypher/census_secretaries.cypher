// Census (DESIGN §4), third table: the secretaries of a scope's party organizations (SCOPE_ORGS)
// by member category — "N retired, M veteran, K in-service secretaries". A person counts once,
// by a secretary post current at $as_of on an org whose level is in $levels.
// Valid time (DESIGN §4): at $as_of it reads orgs and committees that exist then (ALIVE) and an
// org's level then (LEVEL_AT).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD'),
//             $levels (list of org level codes, or null for every level).
// Columns: category (code; null for a secretary who is not a party member then), secretaries
//          (int); largest first, then by category.
SCOPE_ORGS(org)
WITH org WHERE $levels IS NULL OR LEVEL_AT(org) IN $levels
MATCH (p)-[h:HOLDS {role: 'secretary'}]->(org)
WHERE CURRENT(h)
WITH DISTINCT p
RETURN CASE WHEN MEMBER_AT(p) THEN p.member_category END AS category, count(p) AS secretaries
ORDER BY secretaries DESC, category
