// Census (DESIGN §4), first table: the party organizations of a scope by type and level.
// An org is in a scope when it serves it at $as_of (SCOPE_ORGS, see queries/catalog.py).
// Parameters: $scope (district, street or community id; null for everything), $as_of ('YYYY-MM-DD').
// Columns: type, level (codes), orgs (int); by type, then level.
SCOPE_ORGS(org)
RETURN org.type AS type, org.level AS level, count(*) AS orgs
ORDER BY type, level
