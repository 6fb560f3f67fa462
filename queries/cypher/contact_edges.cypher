// The contact graph of each community of a scope, for brokers (DESIGN §4): the community's
// organizations — party orgs covering it or one of its grids, estates or buildings and those
// based in its firms or paired units, owners' committees and firms of its estates, units paired
// with it or its estates at $as_of, the community itself and its grids — and the persons tied to
// them by a post (HOLDS) or membership (MEMBER_OF) current at $as_of, or by employment (WORKS_AT);
// organizations are tied to each other by REPORTS_TO and BASED_IN.
// Valid time (DESIGN §4): at $as_of it reads orgs and committees that exist then (ALIVE) and covers
// that count then (COVERS_AT).
// A row for each organization of each community, its ties listed (a row per tie would be five
// times the rows, and a third more of the question's time to send).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: community_id, org (entity ids), persons (ids of the persons tied to it),
// orgs (ids of the community's organizations it reports to or is based in).
MATCH (root:Entity) WHERE root.id = $scope OR (coalesce($scope, '') = '' AND root:District)
MATCH (root)<-[:PART_OF*0..2]-(c:Community)
WITH DISTINCT c
CALL (c) {
  CALL (c) {
    MATCH (c)<-[:PART_OF|IN_GRID*0..2]-(place)<-[covers:COVERS]-(o:PartyOrg)
    WHERE COVERS_AT(covers)
    RETURN o
    UNION
    MATCH (c)<-[:PART_OF]-(:Estate)<-[:REPRESENTS]-(o) RETURN o
    UNION
    MATCH (c)<-[:PART_OF]-(:Estate)<-[m:MANAGES]-(o) WHERE CURRENT(m) RETURN o
    UNION
    MATCH (c)<-[:PART_OF*0..1]-(target)<-[p:PAIRED_WITH]-(o:Unit)
    WHERE CURRENT(p)
    RETURN o
    UNION
    MATCH (c)<-[:PART_OF*0..1]-(o) WHERE o = c OR o:Grid RETURN o
  }
  WITH collect(DISTINCT o) AS hosts
  CALL (hosts) {
    UNWIND hosts AS host
    MATCH (host)<-[:BASED_IN]-(o:PartyOrg) RETURN o
    UNION
    UNWIND hosts AS o RETURN o
  }
  WITH [o IN collect(DISTINCT o) WHERE ALIVE(o)] AS orgs
  UNWIND orgs AS o
  CALL (o) {
    MATCH (o)<-[t:HOLDS|MEMBER_OF|WORKS_AT]-(p:Person)
    WHERE CURRENT(t)
    RETURN collect(DISTINCT p.id) AS persons
  }
  CALL (o, orgs) {
    MATCH (o)-[:REPORTS_TO|BASED_IN]->(other)
    WHERE other IN orgs
    RETURN collect(DISTINCT other.id) AS others
  }
  RETURN o.id AS org, persons, others
}
RETURN c.id AS community_id, org, persons, others AS orgs
