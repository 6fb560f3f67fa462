// Works out the SERVES links (see docs/model.md, Derived relationships) of some party
// organizations afresh: each org serves the district, street and community of every place that
// it or an org above it covers, of every estate managed by a firm it or an org above it is based
// in, the street (and district) of a unit it or an org above it is based in, and the region it or
// an org above it belongs to (BELONGS_TO) with the regions above that one.
// A link through a management contract carries the contract's since and until (one link per
// contract span), so that it counts only while the contract runs; a link through anything else
// has no dates, and makes dated links to the same place redundant. A dated link is keyed by its
// span ('since|until'; an undated one has none), so that a refresh that finds the same links
// changes nothing. Links no longer true are deleted.
// Parameters: $ids (list of PartyOrg ids).
// Columns: none (the summary counts the links created and deleted).
UNWIND $ids AS id
MATCH (o:PartyOrg {id: id})
CALL (o) {
  MATCH (o)-[:REPORTS_TO*0..]->(above:PartyOrg)
  CALL (above) {
    MATCH (above)-[:COVERS]->()-[:PART_OF*0..4]->(place)
    WHERE place:Community OR place:Street OR place:District
    RETURN place, null AS since, null AS until
    UNION
    MATCH (above)-[:BASED_IN]->(:PropertyFirm)-[m:MANAGES]->(:Estate)-[:PART_OF*1..3]->(place)
    RETURN place, m.since AS since, m.until AS until
    UNION
    MATCH (above)-[:BASED_IN]->(:Unit)-[:LOCATED_IN]->(:Street)-[:PART_OF*0..1]->(place)
    RETURN place, null AS since, null AS until
    UNION
    MATCH (above)-[:BELONGS_TO]->()-[:PART_OF*0..2]->(place)
    RETURN place, null AS since, null AS until
  }
  WITH place, collect(DISTINCT [since, until]) AS spans
  WITH place,
       CASE WHEN any(s IN spans WHERE s[0] IS NULL AND s[1] IS NULL) THEN [[null, null]]
            ELSE spans END AS spans
  UNWIND spans AS span
  RETURN collect({
    place: place, since: span[0], until: span[1],
    span: CASE WHEN span[0] IS NULL AND span[1] IS NULL THEN ''
               ELSE coalesce(span[0], '') + '|' + coalesce(span[1], '') END
  }) AS wanted
}
CALL (o, wanted) {
  MATCH (o)-[old:SERVES]->(place)
  WHERE NOT any(w IN wanted WHERE w.place = place AND w.span = coalesce(old.span, ''))
  DELETE old
}
CALL (o, wanted) {
  UNWIND wanted AS w
  WITH w, w.place AS place
  WHERE w.span = ''
  MERGE (o)-[:SERVES]->(place)
}
CALL (o, wanted) {
  UNWIND wanted AS w
  WITH w, w.place AS place
  WHERE w.span <> ''
  MERGE (o)-[s:SERVES {span: w.span}]->(place)
  ON CREATE SET s.since = w.since, s.until = w.until
}
FINISH
