// Cross-appointments (交叉任职, DESIGN §2 and §4), found by walking every post on the scope's
// organizations and places: what cross_appointments finds through the POSTED_IN links and the
// mark of many posts, kept to hold them to the rule (the differential tests). Persons holding
// posts current at $as_of in organizations of two or more sides — party (PartyOrg), owners (OwnersCommittee), property
// (PropertyFirm), community administration (Community, Grid, Building) and unit (Unit).
// A person is in a scope when one of those posts is on an organization of the scope: a party
// org serving the scope (see census), a committee representing or a firm managing one of its
// estates, one of its communities, grids or buildings, or a unit located in one of its streets.
// Valid time (DESIGN §4): at $as_of it reads orgs and committees that exist then (ALIVE).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: person_id, person, phone (PII: mask before showing), party_member (bool or null),
//          sides (sorted list of side codes), pattern (the sides joined by '+'),
//          posts (list of [org_id, org, side, role], by org id then role).
// Unscoped, the candidates are the persons with two posts or more (read from the degree store);
// in a scope, the holders of a post on one of the scope's organizations.
CALL () {
  UNWIND CASE WHEN coalesce($scope, '') = '' THEN [true] ELSE [] END AS everything
  MATCH (p:Person) WHERE COUNT { (p)-[:HOLDS]->() } >= 2
  RETURN p
  UNION
  CALL () {
    SERVING_ORGS(o)
    RETURN o
    UNION
    MATCH (:Entity {id: $scope})<-[:PART_OF*0..3]-(:Estate)<-[:REPRESENTS]-(o) RETURN o
    UNION
    MATCH (:Entity {id: $scope})<-[:PART_OF*0..3]-(:Estate)<-[m:MANAGES]-(o) WHERE CURRENT(m)
    RETURN o
    UNION
    MATCH (:Entity {id: $scope})<-[:PART_OF*0..4]-(o) WHERE o:Community OR o:Grid OR o:Building
    RETURN o
    UNION
    MATCH (:Entity {id: $scope})<-[:PART_OF*0..1]-(:Street)<-[:LOCATED_IN]-(o:Unit) RETURN o
  }
  MATCH (o)<-[h:HOLDS]-(p:Person)
  WHERE CURRENT(h) AND COUNT { (p)-[:HOLDS]->() } >= 2
  RETURN p
}
WITH DISTINCT p
MATCH (p)-[h:HOLDS]->(o:PartyOrg|OwnersCommittee|PropertyFirm|Community|Grid|Building|Unit)
WHERE CURRENT(h) AND ALIVE(o)
WITH p, o, h,
     CASE WHEN o:PartyOrg THEN 'party' WHEN o:OwnersCommittee THEN 'owners'
          WHEN o:PropertyFirm THEN 'property' WHEN o:Unit THEN 'unit'
          ELSE 'community' END AS side
ORDER BY o.id, h.role
WITH p, collect([o.id, o.name, side, h.role]) AS posts,
     collect(DISTINCT side) AS found
WHERE size(found) >= 2
WITH p, posts, COLLECT { UNWIND found AS s RETURN s ORDER BY s } AS sides
RETURN p.id AS person_id, p.name AS person, p.phone AS phone, p.party_member AS party_member,
       sides, reduce(text = '', s IN sides | text + CASE WHEN text = '' THEN '' ELSE '+' END + s)
         AS pattern,
       posts
ORDER BY pattern, person_id
