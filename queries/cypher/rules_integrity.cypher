// Hierarchy integrity (DESIGN §4): orgs with no parent whose level is community, grid, estate or
// building (street, unit and sector orgs may be roots), and children whose territorial level is
// not below their parent's (street > community > grid > estate > building; unit and sector are
// not ranked). REPORTS_TO cycles never reach the graph: the loader rejects them.
// An org is in a scope when it serves it at $as_of (SCOPE_ORGS).
// Parameters: $scope (district, street or community id; null for everything), $as_of ('YYYY-MM-DD').
// Columns: org_id, org, level, parent_id (or null), parent_level (or null),
//          problem ('no_parent' | 'not_below_parent').
SCOPE_ORGS(org)
OPTIONAL MATCH (org)-[:REPORTS_TO]->(parent:PartyOrg)
WITH org, parent,
     {street: 1, community: 2, grid: 3, estate: 4, building: 5} AS rank
WITH org, parent,
     CASE
       WHEN parent IS NULL AND org.level IN ['community', 'grid', 'estate', 'building']
         THEN 'no_parent'
       WHEN parent IS NOT NULL AND rank[org.level] IS NOT NULL AND rank[parent.level] IS NOT NULL
            AND rank[org.level] <= rank[parent.level]
         THEN 'not_below_parent'
     END AS problem
WHERE problem IS NOT NULL
RETURN org.id AS org_id, org.name AS org, org.level AS level, parent.id AS parent_id,
       parent.level AS parent_level, problem
ORDER BY problem, org_id
