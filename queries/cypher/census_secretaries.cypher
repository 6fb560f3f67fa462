// Census: secretaries of the organizations of a scope (posts current at $as_of) by their member
// category — the seed articles' "N retired, M veteran, K in-service" (DESIGN §4).
// An org is in a scope when it covers a place of the scope, is based in a firm managing one of
// its estates or in a unit located in its street(s), or reports (at any depth) to such an org.
// Parameters: $scope (district, street or community id; null for everything), $as_of ('YYYY-MM-DD'),
//             $levels (list of org level codes to count, or null for every level).
// Columns: category (code, or null for a secretary who is not a member), secretaries (int).
CALL () {
  UNWIND CASE WHEN $scope IS NULL THEN [true] ELSE [] END AS everything
  MATCH (org:PartyOrg) RETURN org
  UNION
  MATCH (:Entity {id: $scope})<-[:PART_OF*0..4]-(place)<-[:COVERS]-(:PartyOrg)
        <-[:REPORTS_TO*0..]-(org:PartyOrg)
  RETURN org
  UNION
  MATCH (:Entity {id: $scope})<-[:PART_OF*0..3]-(:Estate)<-[:MANAGES]-(:PropertyFirm)
        <-[:BASED_IN]-(:PartyOrg)<-[:REPORTS_TO*0..]-(org:PartyOrg)
  RETURN org
  UNION
  MATCH (:Entity {id: $scope})<-[:PART_OF*0..1]-(:Street)<-[:LOCATED_IN]-(:Unit)
        <-[:BASED_IN]-(:PartyOrg)<-[:REPORTS_TO*0..]-(org:PartyOrg)
  RETURN org
}
WITH DISTINCT org
WHERE $levels IS NULL OR org.level IN $levels
MATCH (p:Person)-[h:HOLDS {role: 'secretary'}]->(org)
WHERE (h.since IS NULL OR h.since <= $as_of) AND (h.until IS NULL OR h.until > $as_of)
WITH DISTINCT p
RETURN CASE WHEN p.party_member THEN p.member_category END AS category,
       count(p) AS secretaries
ORDER BY secretaries DESC
