// Renew the holder's lease on the write lock (no property set when the lock is no longer its).
// Parameters: $name, $token, $lease (seconds).  Columns: none.
MATCH (l:OrgnetLock {name: $name, token: $token})
SET l.expires = datetime() + duration({seconds: $lease})
