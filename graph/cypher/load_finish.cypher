// Record that a load (or an undo) finished, with what it did per table: how many things it
// created, changed and cleared (parallel lists, one item a table), and the version of the
// derived links and properties it left the graph at (graph.derived.VERSION).
// Parameters: $number, $ended, $count_tables, $count_created, $count_changed, $count_cleared,
//             $derived.
// Returns: nothing.
MATCH (l:Load {number: $number})
SET l.status = 'done', l.ended = $ended, l.count_tables = $count_tables,
    l.count_created = $count_created, l.count_changed = $count_changed,
    l.count_cleared = $count_cleared, l.derived = $derived
