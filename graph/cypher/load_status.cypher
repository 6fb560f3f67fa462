// Set a load's status ('interrupted', 'undoing', 'undone'), and the undo that took it back.
// Parameters: $number, $status, $undone_by (a number or null: left as it was).
// Returns: nothing.
MATCH (l:Load {number: $number})
SET l.status = $status, l.undone_by = coalesce($undone_by, l.undone_by)
