// Owners' committees, read by walking every post: what owners_party_share reads from the
// committees' seat steps, kept to hold the steps to the rules they summarise (the differential
// tests). Owners' committees of a scope and the share of their current members (chair, vice_chair,
// member posts current at $as_of) who are party members (DESIGN §4).
// Valid time (DESIGN §4): at $as_of it reads orgs and committees that exist then (ALIVE) and
// estates built by then (BUILT).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: committee_id, committee, kind (code or null), estate_id, estate, committee_members (int),
//          party_members (int), share (float, null when the committee has no current member).
MATCH (root:Entity) WHERE root.id = $scope OR (coalesce($scope, '') = '' AND root:District)
MATCH (root)<-[:PART_OF*0..3]-(e:Estate)<-[:REPRESENTS]-(oc:OwnersCommittee)
WITH DISTINCT e, oc
WHERE ALIVE(oc) AND BUILT(e)
OPTIONAL MATCH (p:Person)-[h:HOLDS]->(oc)
  WHERE h.role IN ['chair', 'vice_chair', 'member']
    AND CURRENT(h)
WITH e, oc, collect(DISTINCT p) AS people
WITH e, oc, size(people) AS members,
     size([p IN people WHERE MEMBER_AT(p)]) AS party_members
RETURN oc.id AS committee_id, oc.name AS committee, oc.kind AS kind, e.id AS estate_id,
       e.name AS estate, members AS committee_members, party_members,
       CASE WHEN members = 0 THEN null ELSE toFloat(party_members) / members END AS share
ORDER BY share, committee_id
