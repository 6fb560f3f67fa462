// Works out the SERVES links (see docs/model.md, Derived relationships) of some party
// organizations afresh: each org serves the district, street and community of every place that
// it or an org above it covers, of every estate managed by a firm it or an org above it is based
// in, and the street (and district) of a unit it or an org above it is based in. Links no longer
// true are deleted; an org whose links are right is left as it is.
// Parameters: $ids (list of PartyOrg ids).
// Columns: none (the summary counts the links created and deleted).
UNWIND $ids AS id
MATCH (o:PartyOrg {id: id})
CALL (o) {
  MATCH (o)-[:REPORTS_TO*0..]->(above:PartyOrg)
  CALL (above) {
    MATCH (above)-[:COVERS]->()-[:PART_OF*0..4]->(place)
    WHERE place:Community OR place:Street OR place:District
    RETURN place
    UNION
    MATCH (above)-[:BASED_IN]->(:PropertyFirm)-[:MANAGES]->(:Estate)-[:PART_OF*1..3]->(place)
    RETURN place
    UNION
    MATCH (above)-[:BASED_IN]->(:Unit)-[:LOCATED_IN]->(:Street)-[:PART_OF*0..1]->(place)
    RETURN place
  }
  RETURN collect(DISTINCT place) AS places
}
CALL (o, places) {
  MATCH (o)-[old:SERVES]->(place)
  WHERE NOT place IN places
  DELETE old
}
CALL (o, places) {
  UNWIND places AS place
  MERGE (o)-[:SERVES]->(place)
}
FINISH
