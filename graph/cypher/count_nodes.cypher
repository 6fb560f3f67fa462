// How many nodes the database holds of any kind but the write lock's (entities, the record of
// loads, versions): 0 for a store nothing was ever loaded into, which an offline import may
// replace whole. Read from the count store, whatever the size of the graph.
// Parameters: none.  Columns: nodes (integer).
MATCH (n)
WITH count(n) AS everything
MATCH (l:OrgnetLock)
WITH everything, count(l) AS locks
RETURN everything - locks AS nodes
