// Orgs that count in no scope at $as_of (DESIGN §4, where an org counts): they and every org
// above them cover no place, are based nowhere (or in a firm whose contracts do not run at
// $as_of) and belong to no region — such as a district's 物业行业党委 loaded without its
// region_id. They count only in the unscoped answers, so they are listed for a user to place.
// Valid time (DESIGN §4): at $as_of it reads orgs and committees that exist then (ALIVE), an org's
// type then (TYPE_AT) and its level then (LEVEL_AT).
// Parameters: $as_of ('YYYY-MM-DD').
// Columns: org_id, org, type, level, parent_id (or null).
MATCH (org:PartyOrg)
WHERE ALIVE(org) AND NOT EXISTS { (org)-[s:SERVES]->() WHERE CURRENT(s) }
OPTIONAL MATCH (org)-[:REPORTS_TO]->(parent:PartyOrg)
  WHERE ALIVE(parent)
RETURN org.id AS org_id, org.name AS org, TYPE_AT(org) AS type, LEVEL_AT(org) AS level,
       parent.id AS parent_id
ORDER BY org_id
