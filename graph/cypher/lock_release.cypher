// Let go of the write lock, if it is still this holder's.
// Parameters: $name, $token.  Columns: none.
MATCH (l:OrgnetLock {name: $name, token: $token})
DELETE l
