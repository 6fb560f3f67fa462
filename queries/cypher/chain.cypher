// Contact chain (联系链, DESIGN §4): from any building, estate, grid, community, street, person,
// unit, firm or party org, the chain up the party hierarchy (REPORTS_TO) to its root, with the
// secretaries current at $as_of at each level. It starts at the most specific org: a person's
// own org (MEMBER_OF), else the chain of the building they live in; the org based in a unit or
// firm; for a place, the org covering it, else its estate's, else its grid's, else its
// community's, else its street's, else its district's. Among orgs covering the same place the
// smallest kind (group, branch, general branch, committee, working committee) wins, then the id.
// Valid time (DESIGN §4): at $as_of it reads orgs and committees that exist then (ALIVE), covers
// that count then (COVERS_AT), an org's type then (TYPE_AT) and its level then (LEVEL_AT).
// Parameters: $id (the starting entity's id), $as_of ('YYYY-MM-DD').
// Columns: depth (0 for the starting org), org_id, org, type, level, via (how the start was
//          reached: member_of, lives_in, based_in, covers_self, covers_estate, covers_grid,
//          covers_community, covers_street, covers_district, self),
//          secretaries (list of {id, name, phone}; phone is PII: mask before showing).
MATCH (start:Entity {id: $id})
CALL (start) {
  MATCH (start:PartyOrg) WHERE ALIVE(start) RETURN start AS org, 0 AS rank, 'self' AS via
  UNION
  MATCH (start:Person)-[m:MEMBER_OF]->(org:PartyOrg)
  WHERE CURRENT(m) AND ALIVE(org)
  RETURN org, 1 AS rank, 'member_of' AS via
  UNION
  MATCH (start)<-[:BASED_IN]-(org:PartyOrg) WHERE ALIVE(org) RETURN org, 1 AS rank, 'based_in' AS via
  UNION
  MATCH (start)-[:LIVES_IN*0..1]->(origin)-[:PART_OF|IN_GRID*0..4]->(place)<-[covers:COVERS]-(org:PartyOrg)
  WHERE (origin = start) <> (start:Person) AND COVERS_AT(covers)
  WITH org, place, origin, start,
       CASE WHEN place = origin THEN 0 WHEN place:Estate THEN 1 WHEN place:Grid THEN 2
            WHEN place:Community THEN 3 WHEN place:Street THEN 4 ELSE 5 END AS step
  RETURN org, 10 + step + CASE WHEN start:Person THEN 10 ELSE 0 END AS rank,
         CASE WHEN start:Person THEN 'lives_in'
              ELSE ['covers_self', 'covers_estate', 'covers_grid', 'covers_community',
                    'covers_street', 'covers_district'][step] END AS via
}
WITH org, via, rank,
     CASE TYPE_AT(org) WHEN 'group' THEN 0 WHEN 'branch' THEN 1 WHEN 'general_branch' THEN 2
                   WHEN 'committee' THEN 3 ELSE 4 END AS size
ORDER BY rank, size, org.id
LIMIT 1
MATCH path = (org)-[:REPORTS_TO*0..]->(root:PartyOrg)
WHERE all(n IN nodes(path) WHERE ALIVE(n))
  AND NOT EXISTS { (root)-[:REPORTS_TO]->(up) WHERE ALIVE(up) }
UNWIND range(0, length(path)) AS depth
WITH depth, nodes(path)[depth] AS o, via
CALL (o) {
  OPTIONAL MATCH (s:Person)-[h:HOLDS {role: 'secretary'}]->(o)
  WHERE CURRENT(h)
  WITH s ORDER BY s.id
  RETURN collect(CASE WHEN s IS NOT NULL THEN {id: s.id, name: s.name, phone: s.phone} END)
         AS secretaries
}
RETURN depth, o.id AS org_id, o.name AS org, TYPE_AT(o) AS type, LEVEL_AT(o) AS level,
       CASE WHEN depth = 0 THEN via END AS via, secretaries
ORDER BY depth
