// Census (DESIGN §4), first table: the party organizations of a scope by type and level.
// An org is in a scope when it serves it at $as_of (SCOPE_ORGS, see queries/catalog.py).
// Valid time (DESIGN §4): at $as_of it reads orgs and committees that exist then (ALIVE), an org's
// type then (TYPE_AT) and its level then (LEVEL_AT).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: type, level (codes), orgs (int); by type, then level.
SCOPE_ORGS(org)
RETURN TYPE_AT(org) AS type, LEVEL_AT(org) AS level, count(*) AS orgs
ORDER BY type, level
