// Which of these entities lie inside a jurisdiction (a district, street or community) at a
// date. A place inside is the jurisdiction itself or lies under it (PART_OF); a party org
// inside serves it (SERVES current at $as_of); an owners' committee represents an estate
// inside; a firm manages one (by a current contract); a unit is located in a street inside or
// paired (currently) with a place inside. A person is inside when they live in a building
// inside, or hold a current post in, are a current member of, report (双报到) to or liaise with
// something inside.
// Parameters: $ids (entity ids), $jurisdiction (a district, street or community id), $as_of.
// Columns: id.
MATCH (j:Entity {id: $jurisdiction})
UNWIND $ids AS id
MATCH (n:Entity {id: id})
CALL (n) {
  RETURN n AS body
  UNION
  MATCH (n:Person)-[r:LIVES_IN|HOLDS|MEMBER_OF|REPORTED_TO|LIAISES]->(body)
  WHERE CURRENT(r)
  RETURN body
}
WITH j, n, body
WHERE EXISTS { (body)-[:PART_OF*0..4]->(j) }
   OR EXISTS { MATCH (body)-[s:SERVES]->(j) WHERE CURRENT(s) }
   OR EXISTS { (body)-[:REPRESENTS]->(:Estate)-[:PART_OF*1..3]->(j) }
   OR EXISTS { MATCH (body)-[m:MANAGES]->(:Estate)-[:PART_OF*1..3]->(j) WHERE CURRENT(m) }
   OR EXISTS { (body)-[:LOCATED_IN]->(:Street)-[:PART_OF*0..1]->(j) }
   OR EXISTS { MATCH (body)-[p:PAIRED_WITH]->()-[:PART_OF*0..3]->(j) WHERE CURRENT(p) }
RETURN DISTINCT n.id AS id
