// The version of the derived links and properties (graph.derived.VERSION) the latest finished
// load or undo left the graph at: none for a store written by an older orgnet, or by other means.
// Parameters: none.
// Columns: derived (int or null); no row when nothing was ever loaded.
MATCH (l:Load)
WHERE l.ended IS NOT NULL
RETURN l.derived AS derived
ORDER BY l.number DESC
LIMIT 1
