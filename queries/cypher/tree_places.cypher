// One level of the territory: the places directly under a place — a district's streets, a
// street's communities, a community's grids and estates, a grid's or an estate's buildings —
// each with how many places lie directly under it, and the party orgs covering it now.
// Valid time (DESIGN §4): at $as_of it reads covers that count then (COVERS_AT).
// Parameters: $id (a place id), $as_of.
// Columns: id, label, name, children, orgs.
MATCH (up:Entity {id: $id})
CALL (up) {
  MATCH (n:Entity)-[:PART_OF]->(up)
  WHERE NOT (up:Community AND n:Building)
  RETURN n
  UNION
  MATCH (n:Building)-[:IN_GRID]->(up)
  RETURN n
}
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'][0] AS label, n.name AS name,
       COUNT { (:Entity)-[:PART_OF|IN_GRID]->(n) } AS children,
       COUNT { MATCH (o:PartyOrg)-[c:COVERS]->(n) WHERE COVERS_AT(c) } AS orgs
ORDER BY CASE label WHEN 'Grid' THEN 0 ELSE 1 END, id
LIMIT 2000
