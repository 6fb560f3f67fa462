// Census: party organizations of a scope by type and level (DESIGN §4).
// An org is in a scope when it covers a place of the scope, is based in a firm managing one of
// its estates or in a unit located in its street(s), or reports (at any depth) to such an org.
// Parameters: $scope (district, street or community id; null for everything).
// Columns: type, level (codes), orgs (int).
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
RETURN org.type AS type, org.level AS level, count(org) AS orgs
ORDER BY type, level
