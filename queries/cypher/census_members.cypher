// Census: party members of the organizations of a scope, by member category (DESIGN §4).
// A member counts once, by their MEMBER_OF an org of the scope current at $as_of.
// An org is in a scope when it covers a place of the scope, is based in a firm managing one of
// its estates or in a unit located in its street(s), or reports (at any depth) to such an org.
// Parameters: $scope (district, street or community id; null for everything), $as_of ('YYYY-MM-DD').
// Columns: category (code, or null when none is recorded), members (int).
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
MATCH (p:Person)-[m:MEMBER_OF]->(org)
WHERE m.since IS NULL OR m.since <= $as_of
WITH DISTINCT p
RETURN p.member_category AS category, count(p) AS members
ORDER BY members DESC
