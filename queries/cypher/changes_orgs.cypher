// What became of the party orgs of a scope between two days (DESIGN §4, valid time), comparing
// the network on $since with the network on $until: each org that exists on one day and not
// the other (founded or dissolved in between), and each whose type or level differs (an
// upgrade, 升格, when its type ranks higher on $until). An org belongs to the scope when it
// serves it on either day.
// Parameters: $scope (district, street or community id; empty or null for everything), $since, $until
//             ('YYYY-MM-DD', $since before $until).
// Columns: org_id, org, founded, dissolved (the day, where it was founded or dissolved in
//          between; null otherwise), type_before, type_after, level_before, level_after
//          (null where the org did not exist that day).
SPANNING_ORGS(o)
WITH o, ALIVE(o, $since) AS before, ALIVE(o, $until) AS after
WHERE before OR after
WITH o, before, after,
     CASE WHEN before THEN TYPE_AT(o, $since) END AS type_before,
     CASE WHEN after THEN TYPE_AT(o, $until) END AS type_after,
     CASE WHEN before THEN LEVEL_AT(o, $since) END AS level_before,
     CASE WHEN after THEN LEVEL_AT(o, $until) END AS level_after
WHERE before <> after OR type_before <> type_after OR level_before <> level_after
RETURN o.id AS org_id, o.name AS org,
       CASE WHEN NOT before THEN o.founded END AS founded,
       CASE WHEN NOT after THEN o.dissolved END AS dissolved,
       type_before, type_after, level_before, level_after
ORDER BY org_id
