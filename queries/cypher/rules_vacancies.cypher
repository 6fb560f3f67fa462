// Vacancies: party organizations of a scope, other than groups (党小组), with no secretary post
// current at $as_of (DESIGN §4).
// An org is in a scope when it SERVES it (docs/model.md, Derived relationships): it covers a
// place of the scope, is based in a firm managing one of its estates or in a unit located in
// its street(s), or reports (at any depth) to such an org.
// Parameters: $scope (district, street or community id; null for everything), $as_of ('YYYY-MM-DD').
// Columns: org_id, org, type, level, parent_id (or null), last_until (the latest ended
//          secretary post's until, or null if there never was one).
CALL () {
  UNWIND CASE WHEN $scope IS NULL THEN [true] ELSE [] END AS everything
  MATCH (org:PartyOrg) RETURN org
  UNION ALL
  MATCH (:Entity {id: $scope})<-[:SERVES]-(org:PartyOrg) RETURN org
}
WITH org
WHERE org.type <> 'group'
  AND NOT EXISTS {
    (:Person)-[h:HOLDS {role: 'secretary'}]->(org)
    WHERE (h.since IS NULL OR h.since <= $as_of) AND (h.until IS NULL OR h.until > $as_of)
  }
OPTIONAL MATCH (org)-[:REPORTS_TO]->(parent:PartyOrg)
OPTIONAL MATCH (:Person)-[ended:HOLDS {role: 'secretary'}]->(org)
  WHERE ended.until IS NOT NULL AND ended.until <= $as_of
RETURN org.id AS org_id, org.name AS org, org.type AS type, org.level AS level,
       parent.id AS parent_id, max(ended.until) AS last_until
ORDER BY org_id
