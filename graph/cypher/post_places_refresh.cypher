// Works out afresh, for some persons, the mark of one holding two posts or more (many_posts) and
// their POSTED_IN links (docs/model.md, Derived relationships): to every district, street and
// community one of their posts is on an organization of, as cross_appointments places a post in
// a scope — a party org serving it (SERVES), a committee representing or a firm managing one of
// its estates (REPRESENTS, MANAGES), a community, grid or building at or below it (PART_OF), a
// unit located in one of its streets (LOCATED_IN) — whatever the dates of the posts and of what
// places them, so that the question finds a scope's candidates in one hop and checks only
// theirs on its day. Only for those with two posts or more: no one else can be cross-appointed.
// Links and mark are written or removed only where they changed; a missing link is created after
// reading the person's, not merged (a MERGE locks the place as well, and two writers waited on a
// district's lock: a province's first links took 11-15 s so, 9 s thus), as SERVES are.
// Parameters: $ids (list of Person ids).
// Columns: none.
UNWIND $ids AS id
MATCH (p:Person {id: id})
WITH p, COUNT { (p)-[:HOLDS]->() } >= 2 AS many
CALL (p, many) {
  WITH p WHERE many AND p.many_posts IS NULL
  SET p.many_posts = true
}
CALL (p, many) {
  WITH p WHERE NOT many AND p.many_posts IS NOT NULL
  REMOVE p.many_posts
}
WITH p, CASE WHEN many THEN COLLECT {
  MATCH (p)-[:HOLDS]->(o)
  CALL (o) {
    MATCH (o:PartyOrg)-[:SERVES]->(place)
    RETURN place
    UNION
    MATCH (o)-[:REPRESENTS|MANAGES]->(:Estate)-[:PART_OF*1..3]->(place)
    RETURN place
    UNION
    MATCH (o)-[:PART_OF*0..4]->(place)
    WHERE o:Community OR o:Grid OR o:Building
    RETURN place
    UNION
    MATCH (o:Unit)-[:LOCATED_IN]->(:Street)-[:PART_OF*0..1]->(place)
    RETURN place
  }
  WITH DISTINCT place
  WHERE place:District OR place:Street OR place:Community
  RETURN place
} ELSE [] END AS places
CALL (p, places) {
  MATCH (p)-[old:POSTED_IN]->(place)
  WHERE NOT place IN places
  DELETE old
}
CALL (p, places) {
  OPTIONAL MATCH (p)-[:POSTED_IN]->(there)
  WITH places, collect(there) AS kept
  UNWIND places AS place
  WITH place WHERE NOT place IN kept
  CREATE (p)-[:POSTED_IN]->(place)
}
FINISH
