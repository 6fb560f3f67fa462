// Records the version of the derived links and properties (graph.derived.VERSION) the graph is
// now at, after every one of them was worked out afresh (`orgnet db derive`): on the latest
// finished load or undo, whose record load_derived reads, so that the next load does not work
// them all out again. A graph with no record of a load keeps none.
// Parameters: $version (int).
// Columns: none.
MATCH (l:Load)
WHERE l.ended IS NOT NULL
WITH l ORDER BY l.number DESC LIMIT 1
SET l.derived = $version
