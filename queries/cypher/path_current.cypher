// Contact paths (联系路径, DESIGN §4) over current relationships only: the two ends, and every
// shortest path between them that is at least $min_hops long, in either direction along the
// contact relationships the pattern names (HOLDS, MEMBER_OF, REPORTS_TO, COVERS, MANAGES,
// REPRESENTS, PAIRED_WITH, REPORTED_TO, LIAISES, LIVES_IN, WORKS_AT, PART_OF), or those of them in
// $types, current at $as_of (since/until, where the relationship has them) and at most
// $max_hops long (never more than 12). The paths found are all of one length; paths through the
// same nodes are one, each step listing every relationship joining its two ends; those through no
// node twice are ordered by the ids along them, and the first $k returned. With
// $min_hops = 1 these are the shortest paths; asking again from one hop longer than this length
// gives the next-shortest, so k alternatives come out exactly, ties and all.
// Checking dates on every relationship the search touches slows it by a third: paths() asks
// path.cypher first, and this query only when every path that one found has a relationship not
// current at $as_of.
// Valid time (DESIGN §4): at $as_of it reads orgs and committees that exist then (ALIVE) and
// estates built by then (BUILT).
// Parameters: $from, $to (entity ids), $types (list of relationship types; null for all twelve),
//             $min_hops, $max_hops (1–12), $k (1–10), $as_of ('YYYY-MM-DD').
// Columns: source, target ({id, label, name}), hops (int: the length found, or null when there
//          is no such path), paths (null, or a list of at most $k {nodes: list of {id, label,
//          name}, rels: a list per step of the relationship types joining nodes[i] and nodes[i+1]};
//          empty when every path of that length passes a node twice).
//          No row when either id names nothing.
MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
OPTIONAL CALL (a, b) {
  MATCH p = ALL SHORTEST (
    (a)(()-[r:HOLDS|MEMBER_OF|REPORTS_TO|COVERS|MANAGES|REPRESENTS|PAIRED_WITH|REPORTED_TO|LIAISES|
               LIVES_IN|WORKS_AT|PART_OF]-(step)
        WHERE ($types IS NULL OR type(r) IN $types)
          AND CURRENT(r) AND ALIVE(step) AND BUILT(step)
    ){1,12}(b)
    WHERE $min_hops <= size(r) <= $max_hops
  )
  WITH p, length(p) AS hops, [n IN nodes(p) | n.id] AS ids,
       [rel IN relationships(p) | type(rel)] AS types
  // One path per sequence of nodes: its steps list every relationship joining their two ends.
  WITH hops, ids, head(collect(nodes(p))) AS through, collect(types) AS typesets
  ORDER BY hops, ids
  WITH hops, collect(
         CASE WHEN all(i IN range(0, size(ids) - 2) WHERE NOT ids[i] IN ids[i + 1..]) THEN {
           nodes: [n IN through |
                   {id: n.id, label: [l IN labels(n) WHERE l <> 'Entity'][0], name: n.name}],
           rels: [i IN range(0, hops - 1) |
                  reduce(step = [], t IN typesets |
                         CASE WHEN t[i] IN step THEN step ELSE step + t[i] END)]
         } END) AS simple
  RETURN hops, simple[..$k] AS paths
}
RETURN {id: a.id, label: [l IN labels(a) WHERE l <> 'Entity'][0], name: a.name} AS source,
       {id: b.id, label: [l IN labels(b) WHERE l <> 'Entity'][0], name: b.name} AS target,
       hops, paths
