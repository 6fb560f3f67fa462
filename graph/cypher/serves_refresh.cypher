// Works out the SERVES links (see docs/model.md, Derived relationships) of some party
// organizations afresh: each org serves the district, street and community of every place that
// it or an org above it covers, of every estate managed by a firm it or an org above it is based
// in, the street (and district) of a unit it or an org above it is based in, and the region it or
// an org above it belongs to (BELONGS_TO) with the regions above that one.
// A link carries the span in which what makes it true holds: a dated cover's since and until, a
// management contract's, and — through an org above — that org's founding and dissolution
// (an org's own are read where it counts). Where several hold at once the latest beginning and
// the earliest end; a span that never begins is no link. An undated link makes dated links to
// the same place redundant. A dated link is keyed by its span ('since|until'; an undated one has
// none), so that a refresh that finds the same links changes nothing. Links no longer true are
// deleted; those wanted and missing are created after reading the org's links, not merged: a
// MERGE locks the place as well, and the lock of a district made the two writers wait on each
// other (a province's first links took 31 s so, 20 s thus). Only this batch writes its orgs'
// links, and only under a load's write lock, so none appears between the read and the write.
// Each org's form over time (HAD_FORM, 组织沿革) is copied onto it in date order — form_since,
// form_type, form_level — for the questions to read its type and level at a date (TYPE_AT);
// set only when it changed. Then the org is marked termed when it may have a term on some day
// (MAY_HAVE_TERM: its own term_years, or an elected type in its row or forms), so that terms
// reads only those through an index; the mark is removed when it no longer may.
// Parameters: $ids (list of PartyOrg ids).
// Columns: none (the summary counts the links created and deleted).
UNWIND $ids AS id
MATCH (o:PartyOrg {id: id})
// An org above many of the batch (a street's committee, a district's) is asked what it makes
// true once, not once for each org below it (3.7 times on a province): the orgs are gathered
// by each org at or above them. Every org is its own (REPORTS_TO*0..), and every org asked
// gives the null row, so that an org nothing makes true is still there, with no links wanted.
MATCH (o)-[:REPORTS_TO*0..]->(above:PartyOrg)
WITH above, collect(o) AS below
CALL (above) {
  MATCH (above)-[c:COVERS]->()-[:PART_OF*0..4]->(place)
  WHERE place:Community OR place:Street OR place:District
  RETURN place, c.since AS since, c.until AS until
  UNION
  MATCH (above)-[:BASED_IN]->(:PropertyFirm)-[m:MANAGES]->(:Estate)-[:PART_OF*1..3]->(place)
  RETURN place, m.since AS since, m.until AS until
  UNION
  MATCH (above)-[:BASED_IN]->(:Unit)-[:LOCATED_IN]->(:Street)-[:PART_OF*0..1]->(place)
  RETURN place, null AS since, null AS until
  UNION
  MATCH (above)-[:BELONGS_TO]->()-[:PART_OF*0..2]->(place)
  RETURN place, null AS since, null AS until
  UNION
  RETURN null AS place, null AS since, null AS until
}
UNWIND below AS o
WITH o, place, since, until,
     CASE WHEN above = o THEN null ELSE above.founded END AS born,
     CASE WHEN above = o THEN null ELSE above.dissolved END AS ended
WITH o, place,
     CASE WHEN born IS NULL OR (since IS NOT NULL AND since >= born) THEN since
          ELSE born END AS since,
     CASE WHEN ended IS NULL OR (until IS NOT NULL AND until <= ended) THEN until
          ELSE ended END AS until
WITH o, place,
     CASE WHEN place IS NOT NULL AND (since IS NULL OR until IS NULL OR since < until)
          THEN [since, until] END AS span
WITH o, place, collect(DISTINCT span) AS spans
WITH o, place,
     CASE WHEN any(s IN spans WHERE s[0] IS NULL AND s[1] IS NULL) THEN [[null, null]]
          ELSE spans END AS spans
UNWIND CASE WHEN spans = [] THEN [null] ELSE spans END AS span
WITH o, collect(CASE WHEN span IS NOT NULL THEN {
  place: place, since: span[0], until: span[1],
  span: CASE WHEN span[0] IS NULL AND span[1] IS NULL THEN ''
             ELSE coalesce(span[0], '') + '|' + coalesce(span[1], '') END
} END) AS wanted
CALL (o, wanted) {
  MATCH (o)-[old:SERVES]->(place)
  WHERE NOT any(w IN wanted WHERE w.place = place AND w.span = coalesce(old.span, ''))
  DELETE old
}
CALL (o, wanted) {
  OPTIONAL MATCH (o)-[old:SERVES]->(there)
  WITH wanted, collect(CASE WHEN old IS NOT NULL THEN [there, coalesce(old.span, '')] END) AS kept
  UNWIND wanted AS w
  WITH w, w.place AS place
  WHERE NOT [place, w.span] IN kept
  CREATE (o)-[s:SERVES]->(place)
  SET s.span = CASE WHEN w.span <> '' THEN w.span END, s.since = w.since, s.until = w.until
}
CALL (o) {
  OPTIONAL MATCH (o)-[h:HAD_FORM]->(o)
  WITH h ORDER BY h.since
  WITH [f IN collect(h) | [f.since, f.type, f.level]] AS forms
  WITH CASE WHEN forms = [] THEN null ELSE [f IN forms | f[0]] END AS since,
       CASE WHEN forms = [] THEN null ELSE [f IN forms | f[1]] END AS type,
       CASE WHEN forms = [] THEN null ELSE [f IN forms | f[2]] END AS level
  WITH since, type, level
  WHERE NOT (o.form_since = since AND o.form_type = type AND o.form_level = level)
     OR (o.form_since IS NULL) <> (since IS NULL)
  SET o.form_since = since, o.form_type = type, o.form_level = level
}
CALL (o) {
  WITH o, coalesce(MAY_HAVE_TERM(o), false) AS termed
  WHERE termed <> coalesce(o.termed, false)
  SET o.termed = CASE WHEN termed THEN true END
}
FINISH
