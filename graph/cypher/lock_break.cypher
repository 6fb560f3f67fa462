// Break a stale write lock: its holder is gone ($dead) or its lease ran out — and it is still the
// lock that was found stale (the same $token), not one taken since.
// Parameters: $name, $token, $dead (boolean).  Columns: none.
MATCH (l:OrgnetLock {name: $name, token: $token})
WHERE $dead OR l.expires < datetime()
DELETE l
