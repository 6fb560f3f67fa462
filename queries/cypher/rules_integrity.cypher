// Hierarchy integrity (DESIGN §4): orgs with no parent whose level is community, grid, estate or
// building (street, unit and sector orgs may be roots); children whose territorial level is not
// below their parent's (street > community > grid > estate > building; unit and sector are not
// ranked); and children whose type is not below their parent's — the order of $type_rank
// (graph.model.TYPE_RANK: working committee > committee > general branch > branch > group), a
// group's parent being one of $group_parents. An org breaking two rules has a row for each.
// REPORTS_TO cycles never reach the graph: the loader rejects them.
// An org is in a scope when it serves it at $as_of (SCOPE_ORGS).
// Valid time (DESIGN §4): at $as_of it reads orgs and committees that exist then (ALIVE), an org's
// type then (TYPE_AT) and its level then (LEVEL_AT).
// Parameters: $scope (district, street or community id; null for everything), $as_of ('YYYY-MM-DD'),
//             $type_rank (map: type → rank, 0 the highest), $group_parents (list of types).
// Columns: org_id, org, level, type, parent_id (or null), parent_level (or null),
//          parent_type (or null), problem ('no_parent' | 'not_below_parent' | 'type_not_below_parent').
SCOPE_ORGS(org)
OPTIONAL MATCH (org)-[:REPORTS_TO]->(parent:PartyOrg)
  WHERE ALIVE(parent)
WITH org, parent, TYPE_AT(org) AS type, LEVEL_AT(org) AS level,
     TYPE_AT(parent) AS parent_type, LEVEL_AT(parent) AS parent_level,
     {street: 1, community: 2, grid: 3, estate: 4, building: 5} AS rank
WITH org, parent, type, level, parent_type, parent_level,
     [problem IN [
        CASE WHEN parent IS NULL AND level IN ['community', 'grid', 'estate', 'building']
             THEN 'no_parent' END,
        CASE WHEN parent IS NOT NULL AND rank[level] IS NOT NULL
                  AND rank[parent_level] IS NOT NULL AND rank[level] <= rank[parent_level]
             THEN 'not_below_parent' END,
        CASE WHEN parent IS NOT NULL AND $type_rank[type] IS NOT NULL
                  AND $type_rank[parent_type] IS NOT NULL
                  AND CASE WHEN type = 'group' THEN NOT parent_type IN $group_parents
                           ELSE $type_rank[type] <= $type_rank[parent_type] END
             THEN 'type_not_below_parent' END
      ] WHERE problem IS NOT NULL] AS problems
UNWIND problems AS problem
RETURN org.id AS org_id, org.name AS org, level, type,
       parent.id AS parent_id, parent_level, parent_type, problem
ORDER BY problem, org_id
