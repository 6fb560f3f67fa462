// Census (DESIGN §4): the party organizations of a scope by type and level, their members by
// member category, and their secretaries by category — the tables the seed articles report
// ("N retired, M veteran, K in-service secretaries"). One row: the scope's orgs are found once.
// A member counts once, by a MEMBER_OF an org of the scope current at $as_of; a secretary once,
// by a secretary post current at $as_of on an org of the scope whose level is in $levels.
// An org is in a scope when it SERVES it (docs/model.md, Derived relationships): it covers a
// place of the scope, is based in a firm managing one of its estates or in a unit located in
// its street(s), or reports (at any depth) to such an org.
// Parameters: $scope (district, street or community id; null for everything), $as_of ('YYYY-MM-DD'),
//             $levels (list of org level codes whose secretaries count, or null for every level).
// Columns: orgs (list of {type, level, orgs}, by type then level),
//          members (list of {category, members}: category code or null when none is recorded),
//          secretaries (list of {category, secretaries}: null for a secretary who is not a member);
//          both lists largest first, then by category.
CALL () {
  UNWIND CASE WHEN $scope IS NULL THEN [true] ELSE [] END AS everything
  MATCH (org:PartyOrg) RETURN org
  UNION ALL
  MATCH (:Entity {id: $scope})<-[:SERVES]-(org:PartyOrg) RETURN org
}
WITH collect(org) AS orgs
CALL (orgs) {
  UNWIND orgs AS org
  WITH org.type AS type, org.level AS level, count(*) AS n
  ORDER BY type, level
  RETURN collect({type: type, level: level, orgs: n}) AS orgs_by_type
}
CALL (orgs) {
  UNWIND orgs AS org
  // MEMBER_OF is functional (one org per person), so no person comes twice.
  MATCH (p)-[m:MEMBER_OF]->(org)
  WHERE m.since IS NULL OR m.since <= $as_of
  WITH p.member_category AS category, count(*) AS n
  ORDER BY n DESC, category
  RETURN collect({category: category, members: n}) AS members
}
CALL (orgs) {
  UNWIND orgs AS org
  WITH org WHERE $levels IS NULL OR org.level IN $levels
  MATCH (p)-[h:HOLDS {role: 'secretary'}]->(org)
  WHERE (h.since IS NULL OR h.since <= $as_of) AND (h.until IS NULL OR h.until > $as_of)
  WITH DISTINCT p
  WITH CASE WHEN p.party_member THEN p.member_category END AS category, count(p) AS n
  ORDER BY n DESC, category
  RETURN collect({category: category, secretaries: n}) AS secretaries
}
RETURN orgs_by_type AS orgs, members, secretaries
