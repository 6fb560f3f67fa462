// Contact paths (联系路径, DESIGN §4), first ask: the two ends, and every shortest path between
// them that is at least $min_hops and at most $max_hops (never more than 12) long, in either
// direction along the contact relationships the pattern names (HOLDS, MEMBER_OF, REPORTS_TO,
// COVERS, MANAGES, REPRESENTS, PAIRED_WITH, REPORTED_TO, LIAISES, LIVES_IN, WORKS_AT, PART_OF),
// or those of them in $types, whatever their dates; then of those, the ones whose every
// relationship is current at $as_of (since/until, where it has them).
// Why this is exact: the search ignoring dates walks a superset of the current relationships, so
// its shortest length L is at most the current one. When one of its paths is current, L is the
// current shortest length too, and the current paths of length L are exactly those kept here.
// When none is (column current = 0), paths() asks path_current.cypher instead.
// Paths through the same nodes are one path, each step listing every relationship joining its
// two ends; the kept paths through no node twice are ordered by the ids along them, and the
// first $k returned; asking again from one hop longer gives the next-shortest.
// Valid time (DESIGN §4): at $as_of it reads orgs and committees that exist then (ALIVE) and
// estates built by then (BUILT).
// Parameters: $from, $to (entity ids), $types (list of relationship types; null for all twelve),
//             $min_hops, $max_hops (1–12), $k (1–10), $as_of ('YYYY-MM-DD').
// Columns: source, target ({id, label, name}), hops (int: the length found ignoring dates, or
//          null when there is no such path), current (int: how many paths of that length are
//          current), paths (null, or a list of at most $k {nodes: list of {id, label, name},
//          rels: a list per step of the relationship types joining nodes[i] and nodes[i+1]}: current,
//          through no node twice). No row when either id names nothing.
MATCH (a:Entity {id: $from}), (b:Entity {id: $to})
OPTIONAL CALL (a, b) {
  MATCH p = ALL SHORTEST (
    (a)(()-[r:HOLDS|MEMBER_OF|REPORTS_TO|COVERS|MANAGES|REPRESENTS|PAIRED_WITH|REPORTED_TO|LIAISES|
               LIVES_IN|WORKS_AT|PART_OF]-()
        WHERE $types IS NULL OR type(r) IN $types
    ){1,12}(b)
    WHERE $min_hops <= size(r) <= $max_hops
  )
  WITH p, length(p) AS hops, [n IN nodes(p) | n.id] AS ids,
       [rel IN relationships(p) | type(rel)] AS types,
       all(rel IN relationships(p) WHERE CURRENT(rel))
       AND all(n IN nodes(p) WHERE ALIVE(n) AND BUILT(n)) AS current
  // One path per sequence of nodes: its steps list every relationship joining their two ends.
  WITH hops, ids, current, head(collect(nodes(p))) AS through, collect(types) AS typesets
  ORDER BY hops, ids
  WITH hops, count(CASE WHEN current THEN ids END) AS current, collect(
         CASE WHEN current AND all(i IN range(0, size(ids) - 2) WHERE NOT ids[i] IN ids[i + 1..])
         THEN {
           nodes: [n IN through |
                   {id: n.id, label: [l IN labels(n) WHERE l <> 'Entity'][0], name: n.name}],
           rels: [i IN range(0, hops - 1) |
                  reduce(step = [], t IN typesets |
                         CASE WHEN t[i] IN step THEN step ELSE step + t[i] END)]
         } END) AS simple
  RETURN hops, current, simple[..$k] AS paths
}
RETURN {id: a.id, label: [l IN labels(a) WHERE l <> 'Entity'][0], name: a.name} AS source,
       {id: b.id, label: [l IN labels(b) WHERE l <> 'Entity'][0], name: b.name} AS target,
       hops, current, paths
