// Record a load as it begins writing (status 'writing'), or as an undo (kind 'undo').
// Parameters: $number, $kind ('load' | 'undo'), $by, $began, $command, $file_names,
//             $file_sha256, $file_rows (lists, one item a source file), $undoes (a number or null).
// Returns: nothing.
CREATE (l:Load {number: $number})
SET l.kind = $kind, l.by = $by, l.began = $began, l.command = $command, l.status = 'writing',
    l.file_names = $file_names, l.file_sha256 = $file_sha256, l.file_rows = $file_rows,
    l.undoes = $undoes
