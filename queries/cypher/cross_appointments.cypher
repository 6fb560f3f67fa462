// Cross-appointments (交叉任职, DESIGN §2 and §4): persons holding posts current at $as_of in
// organizations of two or more sides — party (PartyOrg), owners (OwnersCommittee), property
// (PropertyFirm), community administration (Community, Grid, Building) and unit (Unit).
// A person is in a scope when one of those posts is on an organization of the scope: a party
// org serving the scope (see census), a committee representing or a firm managing one of its
// estates, one of its communities, grids or buildings, or a unit located in one of its streets.
// Valid time (DESIGN §4): at $as_of it reads orgs and committees that exist then (ALIVE).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: person_id, person, phone (PII: mask before showing), party_member (bool or null),
//          sides (sorted list of side codes), pattern (the sides joined by '+'),
//          posts (list of [org_id, org, side, role], by org id then role: lists rather than
//          maps, which a province's 150,000 posts take a tenth longer to send).
// Only a person with two posts or more can be cross-appointed: unscoped, the candidates are those
// marked so (many_posts, by its index); in a scope, those with a POSTED_IN link to it (one of
// their posts lies there on some day), each kept when a post current at $as_of is on an
// organization of the scope then — as cross_appointments_walk.cypher finds them by walking every
// post on the scope's organizations and places.
CALL () {
  UNWIND CASE WHEN coalesce($scope, '') = '' THEN [true] ELSE [] END AS everything
  MATCH (p:Person {many_posts: true})
  RETURN p
  UNION
  MATCH (:Entity {id: $scope})<-[:POSTED_IN]-(p:Person)
  WHERE EXISTS {
    MATCH (p)-[h:HOLDS]->(o)
    WHERE CURRENT(h)
    CALL (o) {
      MATCH (o:PartyOrg)-[serves:SERVES]->(:Entity {id: $scope})
      WHERE CURRENT(serves) AND ALIVE(o)
      RETURN true AS placed
      UNION
      MATCH (o)-[:REPRESENTS]->(:Estate)-[:PART_OF*0..3]->(:Entity {id: $scope})
      RETURN true AS placed
      UNION
      MATCH (o)-[m:MANAGES]->(:Estate)-[:PART_OF*0..3]->(:Entity {id: $scope})
      WHERE CURRENT(m)
      RETURN true AS placed
      UNION
      MATCH (o)-[:PART_OF*0..4]->(:Entity {id: $scope})
      WHERE o:Community OR o:Grid OR o:Building
      RETURN true AS placed
      UNION
      MATCH (o:Unit)-[:LOCATED_IN]->(:Street)-[:PART_OF*0..1]->(:Entity {id: $scope})
      RETURN true AS placed
    }
  }
  RETURN p
}
WITH DISTINCT p
WITH p, COLLECT {
  MATCH (p)-[h:HOLDS]->(o:PartyOrg|OwnersCommittee|PropertyFirm|Community|Grid|Building|Unit)
  WHERE CURRENT(h) AND ALIVE(o)
  WITH o, h ORDER BY o.id, h.role
  RETURN [o.id, o.name,
          CASE WHEN o:PartyOrg THEN 'party' WHEN o:OwnersCommittee THEN 'owners'
               WHEN o:PropertyFirm THEN 'property' WHEN o:Unit THEN 'unit'
               ELSE 'community' END,
          h.role]
} AS posts
WITH p, posts,
     [side IN ['community', 'owners', 'party', 'property', 'unit']  // in order
      WHERE any(post IN posts WHERE post[2] = side)] AS sides
WHERE size(sides) >= 2
RETURN p.id AS person_id, p.name AS person, p.phone AS phone, p.party_member AS party_member,
       sides, reduce(text = '', s IN sides | text + CASE WHEN text = '' THEN '' ELSE '+' END + s)
         AS pattern,
       posts
ORDER BY pattern, person_id
