// Who holds the write lock, and whether the lease ran out.
// Parameters: $name.
// Columns: token, host, pid, started, user, command, since, expired (boolean); no row when free.
MATCH (l:OrgnetLock {name: $name})
RETURN l.token AS token, l.host AS host, l.pid AS pid, l.started AS started, l.user AS user,
       l.command AS command, l.since AS since, l.expires < datetime() AS expired
