// The pairings (结对共建) with the places of a scope and the reports (报到) of in-service members
// to its communities that began or ended between two days (DESIGN §4, valid time): current on
// one day and not on the other.
// Parameters: $scope (district, street or community id; empty or null for everything), $since, $until
//             ('YYYY-MM-DD', $since before $until).
// Columns: kind ('pairing' or 'report'), from_id, from_name, from_label, to_id, to_name,
//          began (boolean: current on $until only; false: on $since only).
MATCH (root:Entity) WHERE root.id = $scope OR (coalesce($scope, '') = '' AND root:District)
MATCH (root)<-[:PART_OF*0..3]-(place)
WITH DISTINCT place
CALL (place) {
  MATCH (u)-[r:PAIRED_WITH]->(place)
  WITH u, r, CURRENT(r, $since) AS before, CURRENT(r, $until) AS after
  WHERE before <> after
  RETURN 'pairing' AS kind, u, after AS began
  UNION ALL
  MATCH (u:Person)-[r:REPORTED_TO]->(place)
  WITH u, r, CURRENT(r, $since) AS before, CURRENT(r, $until) AS after
  WHERE before <> after
  RETURN 'report' AS kind, u, after AS began
}
RETURN kind, u.id AS from_id, u.name AS from_name,
       [l IN labels(u) WHERE l <> 'Entity'][0] AS from_label,
       place.id AS to_id, place.name AS to_name, began
ORDER BY kind, to_id, from_id
