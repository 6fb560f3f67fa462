// What makes the write lock a lock: at most one OrgnetLock node of a name (see graph/lock.py).
// Parameters: none.  Columns: none.
CREATE CONSTRAINT orgnet_lock_name IF NOT EXISTS FOR (l:OrgnetLock) REQUIRE l.name IS UNIQUE
