// Estate triads (三方联动, DESIGN §4): estates of a scope with a party org covering them, an
// owners' committee representing them and a property firm managing them at $as_of, and the
// persons who hold posts current at $as_of in two or more of the three (linked when there is
// one). Which estates have a triad, and whether it is linked, is read from their triad steps
// (TRIAD_AT; triad_steps_refresh.cypher judges it as estate_triads_walk.cypher does); only the
// parties and their linking persons are read from the links and posts.
// Valid time (DESIGN §4): at $as_of it reads orgs and committees that exist then (ALIVE), estates
// built by then (BUILT) and covers that count then (COVERS_AT).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD'),
//             $linked (true: only the linked triads; false: only those nobody links; null: both).
// Columns: estate_id, estate, community_id, community, org_ids, committee_ids, firm_ids
//          (lists of ids), linked_by (list of person ids), and beside each list the names of
//          its entities in the same order (org_names, committee_names, firm_names,
//          linked_by_names), linked (bool).
MATCH (root:Entity) WHERE root.id = $scope OR (coalesce($scope, '') = '' AND root:District)
MATCH (root)<-[:PART_OF*0..2]-(c:Community)<-[:PART_OF]-(e:Estate)
WITH e, c, TRIAD_AT(e) AS state
WHERE state > 0 AND ($linked IS NULL OR (state = 2) = $linked)
CALL (e) {
  MATCH (e)<-[link:COVERS|REPRESENTS|MANAGES]-(o)
  WHERE (o:PartyOrg OR o:OwnersCommittee OR o:PropertyFirm) AND CURRENT(link) AND ALIVE(o)
  WITH DISTINCT o ORDER BY o.id
  RETURN collect(o) AS parties,
         collect({id: o.id, name: o.name,
                  kind: CASE WHEN o:PartyOrg THEN 'org' WHEN o:OwnersCommittee THEN 'committee'
                             ELSE 'firm' END}) AS named
}
CALL (parties, state) {
  UNWIND CASE WHEN state = 2 THEN parties ELSE [] END AS o
  MATCH (o)<-[h:HOLDS]-(p:Person)
  WHERE CURRENT(h)
  WITH p, collect(DISTINCT labels(o)) AS sides
  WHERE size(sides) >= 2
  WITH p ORDER BY p.id
  RETURN collect(p.id) AS linked_by, collect(p.name) AS linked_by_names
}
RETURN e.id AS estate_id, e.name AS estate, c.id AS community_id, c.name AS community,
       [o IN named WHERE o.kind = 'org' | o.id] AS org_ids,
       [o IN named WHERE o.kind = 'org' | o.name] AS org_names,
       [o IN named WHERE o.kind = 'committee' | o.id] AS committee_ids,
       [o IN named WHERE o.kind = 'committee' | o.name] AS committee_names,
       [o IN named WHERE o.kind = 'firm' | o.id] AS firm_ids,
       [o IN named WHERE o.kind = 'firm' | o.name] AS firm_names,
       linked_by, linked_by_names, state = 2 AS linked
ORDER BY linked, community_id, estate_id
