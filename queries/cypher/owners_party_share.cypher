// Owners' committees of a scope and the share of their current members (chair, vice_chair,
// member posts current at $as_of, each person once) who are party members then (DESIGN §4).
// Read from each committee's seat steps, which judge every post by those rules (SEAT_STEPS_AT;
// owners_party_share_walk walks the posts).
// Valid time (DESIGN §4): at $as_of it reads orgs and committees that exist then (ALIVE) and
// estates built by then (BUILT).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: committee_id, committee, kind (code or null), estate_id, estate, committee_members (int),
//          party_members (int), share (float, null when the committee has no current member).
MATCH (root:Entity) WHERE root.id = $scope OR (coalesce($scope, '') = '' AND root:District)
MATCH (root)<-[:PART_OF*0..3]-(e:Estate)<-[:REPRESENTS]-(oc:OwnersCommittee)
WITH DISTINCT e, oc
WHERE ALIVE(oc) AND BUILT(e)
WITH e, oc, SEAT_STEPS_AT(oc) AS steps, oc.seat_kinds AS kinds, oc.seat_changes AS changes
WITH e, oc,
     reduce(n = 0, step IN steps | n + CASE kinds[step] WHEN 'member' THEN changes[step] ELSE 0 END)
       AS members,
     reduce(n = 0, step IN steps | n + CASE kinds[step] WHEN 'party' THEN changes[step] ELSE 0 END)
       AS party_members
RETURN oc.id AS committee_id, oc.name AS committee, oc.kind AS kind, e.id AS estate_id,
       e.name AS estate, members AS committee_members, party_members,
       CASE WHEN members = 0 THEN null ELSE toFloat(party_members) / members END AS share
ORDER BY share, committee_id
