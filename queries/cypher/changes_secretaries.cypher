// The orgs of a scope whose secretary differs between two days (换书记; DESIGN §4, valid time):
// an org that exists on both days, with its secretaries (a secretary post current that day)
// on each. An org belongs to the scope when it serves it on either day.
// Parameters: $scope (district, street or community id; empty or null for everything), $since, $until
//             ('YYYY-MM-DD', $since before $until).
// Columns: org_id, org, before_ids, before, after_ids, after (the secretaries' ids and names,
//          by id).
SPANNING_ORGS(o)
WITH o WHERE ALIVE(o, $since) AND ALIVE(o, $until)
WITH o,
     COLLECT { MATCH (p:Person)-[h:HOLDS {role: 'secretary'}]->(o) WHERE CURRENT(h, $since)
               RETURN p ORDER BY p.id } AS held_before,
     COLLECT { MATCH (p:Person)-[h:HOLDS {role: 'secretary'}]->(o) WHERE CURRENT(h, $until)
               RETURN p ORDER BY p.id } AS held_after
WHERE [p IN held_before | p.id] <> [p IN held_after | p.id]
RETURN o.id AS org_id, o.name AS org,
       [p IN held_before | p.id] AS before_ids, [p IN held_before | p.name] AS before,
       [p IN held_after | p.id] AS after_ids, [p IN held_after | p.name] AS after
ORDER BY org_id
