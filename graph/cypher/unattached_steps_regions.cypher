// Works out afresh the unattached steps of some communities, streets and districts: the sum of
// the unattached steps of the estates below each (unattached_steps_refresh; PART_OF, which
// holds no dates, makes a tree), so that the census reads one list for a scope instead of one
// per estate. Kept in day order, one entry per day and category ('' for none); changes that
// cancel are dropped. Set every time: a district's lists run to tens of thousands of entries,
// and comparing them with the stored ones took the engine seconds a district.
// Parameters: $ids (list of District, Street or Community ids).
// Columns: none.
UNWIND $ids AS id
MATCH (r:Entity {id: id})
WHERE r:District OR r:Street OR r:Community
CALL (r) {
  MATCH (r)<-[:PART_OF*1..3]-(e:Estate)
  WHERE e.unattached_days IS NOT NULL
  UNWIND range(0, size(e.unattached_days) - 1) AS step
  WITH e.unattached_days[step] AS day, e.unattached_kinds[step] AS kind,
       sum(e.unattached_changes[step]) AS change
  WHERE change <> 0
  WITH kind, day, change ORDER BY day, kind
  RETURN CASE WHEN count(*) > 0 THEN collect(day) END AS days,
         CASE WHEN count(*) > 0 THEN collect(kind) END AS kinds,
         CASE WHEN count(*) > 0 THEN collect(change) END AS changes
}
SET r.unattached_days = days, r.unattached_kinds = kinds, r.unattached_changes = changes
FINISH
