// Take the write lock: fails on the uniqueness constraint while another writer holds it.
// Parameters: $name, $token (this holder's secret), $lease (seconds until it must be renewed),
// and who holds it, for the message another writer reads: $host, $pid, $started (the process's
// start time), $user, $command, $since.
// Columns: none.
CREATE (:OrgnetLock {
  name: $name, token: $token, expires: datetime() + duration({seconds: $lease}),
  host: $host, pid: $pid, started: $started, user: $user, command: $command, since: $since
})
