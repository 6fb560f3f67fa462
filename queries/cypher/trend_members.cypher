// The party members of a scope on each of many days, in one pass (DESIGN §4): each org that may
// count is read once with its memberships, and on every day its members counted as
// census_members counts them on one — the org serves the scope then (COUNTS_ON), the
// membership is current (CURRENT) and the person a member by then (MEMBER_AT).
// Parameters: $scope (district, street or community id; null for everything), $days (list of
//             'YYYY-MM-DD').
// Columns: day, members.
DATED_ORGS(org)
MATCH (org)<-[m:MEMBER_OF]-(p)
// Read once into values, the rules then judge each day in memory.
WITH org, spans, everywhere,
     collect({m: {since: m.since, until: m.until},
              p: {party_member: p.party_member, joined_party: p.joined_party}}) AS memberships
UNWIND $days AS day
WITH day, org, spans, everywhere, memberships WHERE COUNTS_ON(org, day)
RETURN day,
       sum(size([x IN memberships WHERE CURRENT(x.m, day) AND MEMBER_AT(x.p, day)])) AS members
ORDER BY day
