// Contact paths (联系路径, DESIGN §4): the shortest paths between two entities over the contact
// graph, in either direction along the relationship types in $types (any of HOLDS, MEMBER_OF,
// REPORTS_TO, COVERS, MANAGES, REPRESENTS, PAIRED_WITH, REPORTED_TO, LIAISES, LIVES_IN,
// WORKS_AT, PART_OF) current at $as_of (since/until, where the relationship has them) and at
// most $max_hops long (never more than 12). The ten shortest are found; of those, the $k
// shortest are returned, equal lengths ordered by the ids along them, then the types.
// Parameters: $from, $to (entity ids), $types (list of relationship types), $max_hops (1–12),
//             $k (1–10), $as_of ('YYYY-MM-DD').
// Columns: hops (int), nodes (list of {id, label, name}), rels (list of relationship types,
//          rels[i] joining nodes[i] and nodes[i+1]).
MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
MATCH p = SHORTEST 10 (
  (a)(()-[r]-()
      WHERE type(r) IN $types
        AND (r.since IS NULL OR r.since <= $as_of) AND (r.until IS NULL OR r.until > $as_of)
  ){1,12}(b)
  WHERE size(r) <= $max_hops
)
WITH p, length(p) AS hops, [n IN nodes(p) | n.id] AS ids, [rel IN relationships(p) | type(rel)] AS types
ORDER BY hops, ids, types
LIMIT $k
RETURN hops,
       [n IN nodes(p) | {id: n.id, label: [l IN labels(n) WHERE l <> 'Entity'][0], name: n.name}]
         AS nodes,
       types AS rels
ORDER BY hops, ids, types
