// Census (DESIGN §4), first table: the party organizations of a scope by type and level.
// An org is in a scope when it SERVES it (docs/model.md, Derived relationships): it covers a
// place of the scope, is based in a firm managing one of its estates or in a unit located in
// its street(s), or reports (at any depth) to such an org.
// Parameters: $scope (district, street or community id; null for everything).
// Columns: type, level (codes), orgs (int); by type, then level.
CALL () {
  UNWIND CASE WHEN $scope IS NULL THEN [true] ELSE [] END AS everything
  MATCH (org:PartyOrg) RETURN org
  UNION ALL
  MATCH (:Entity {id: $scope})<-[:SERVES]-(org:PartyOrg) RETURN org
}
RETURN org.type AS type, org.level AS level, count(*) AS orgs
ORDER BY type, level
