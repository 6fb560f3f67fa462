// Estate triads (三方联动, DESIGN §4), read by walking every estate's links and its parties'
// posts: what estate_triads reads from the triad steps, kept to hold the steps to the rules they
// summarise (the differential tests). Estates of a scope with a party org covering them, an
// owners' committee representing them and a property firm managing them at $as_of, and the persons who
// hold posts current at $as_of in two or more of the three (linked when there is one).
// Valid time (DESIGN §4): at $as_of it reads orgs and committees that exist then (ALIVE), estates
// built by then (BUILT) and covers that count then (COVERS_AT).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD'),
//             $linked (true: only the linked triads; false: only those nobody links; null: both).
// Columns: estate_id, estate, community_id, community, org_ids, committee_ids, firm_ids
//          (lists of ids), linked_by (list of person ids), and beside each list the names of
//          its entities in the same order (org_names, committee_names, firm_names,
//          linked_by_names), linked (bool).
MATCH (root:Entity) WHERE root.id = $scope OR (coalesce($scope, '') = '' AND root:District)
MATCH (root)<-[:PART_OF*0..3]-(e:Estate)
MATCH (e)-[:PART_OF]->(c:Community)
WITH DISTINCT e, c
WHERE BUILT(e)
  AND EXISTS { (e)<-[covers:COVERS]-(:PartyOrg) WHERE COVERS_AT(covers) }
  AND EXISTS { (e)<-[:REPRESENTS]-(oc:OwnersCommittee) WHERE ALIVE(oc) }
  AND EXISTS { (e)<-[m:MANAGES]-(:PropertyFirm) WHERE CURRENT(m) }
CALL (e) {
  MATCH (e)<-[link:COVERS|REPRESENTS|MANAGES]-(o)
  WHERE (o:PartyOrg OR o:OwnersCommittee OR o:PropertyFirm) AND CURRENT(link) AND ALIVE(o)
  WITH DISTINCT o ORDER BY o.id
  RETURN collect(o) AS parties
}
CALL (parties) {
  UNWIND parties AS o
  MATCH (o)<-[h:HOLDS]-(p:Person)
  WHERE CURRENT(h)
  WITH p, collect(DISTINCT labels(o)) AS sides
  WHERE size(sides) >= 2
  WITH p ORDER BY p.id
  RETURN collect(p.id) AS linked_by, collect(p.name) AS linked_by_names
}
WITH * WHERE $linked IS NULL OR (size(linked_by) > 0) = $linked
RETURN e.id AS estate_id, e.name AS estate, c.id AS community_id, c.name AS community,
       [o IN parties WHERE o:PartyOrg | o.id] AS org_ids,
       [o IN parties WHERE o:PartyOrg | o.name] AS org_names,
       [o IN parties WHERE o:OwnersCommittee | o.id] AS committee_ids,
       [o IN parties WHERE o:OwnersCommittee | o.name] AS committee_names,
       [o IN parties WHERE o:PropertyFirm | o.id] AS firm_ids,
       [o IN parties WHERE o:PropertyFirm | o.name] AS firm_names,
       linked_by, linked_by_names, size(linked_by) > 0 AS linked
ORDER BY linked, community_id, estate_id
