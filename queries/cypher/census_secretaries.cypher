// Census (DESIGN §4), third table: the secretaries of a scope's party organizations (see
// census_orgs) by member category — "N retired, M veteran, K in-service secretaries". A person
// counts once, by a secretary post current at $as_of on an org whose level is in $levels.
// Parameters: $scope (district, street or community id; null for everything), $as_of ('YYYY-MM-DD'),
//             $levels (list of org level codes, or null for every level).
// Columns: category (code; null for a secretary who is not a party member), secretaries (int);
//          largest first, then by category.
CALL () {
  UNWIND CASE WHEN $scope IS NULL THEN [true] ELSE [] END AS everything
  MATCH (org:PartyOrg) RETURN org
  UNION ALL
  MATCH (:Entity {id: $scope})<-[:SERVES]-(org:PartyOrg) RETURN org
}
WITH org WHERE $levels IS NULL OR org.level IN $levels
MATCH (p)-[h:HOLDS {role: 'secretary'}]->(org)
WHERE (h.since IS NULL OR h.since <= $as_of) AND (h.until IS NULL OR h.until > $as_of)
WITH DISTINCT p
RETURN CASE WHEN p.party_member THEN p.member_category END AS category, count(p) AS secretaries
ORDER BY secretaries DESC, category
