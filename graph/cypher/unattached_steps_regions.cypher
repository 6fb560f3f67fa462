// Works out afresh the unattached steps of some communities, streets and districts: the sum of
// the unattached steps of what lies directly below each (PART_OF, which holds no dates, makes a
// tree) — a community's estates (unattached_steps_refresh), a street's communities, a district's
// streets — so that the census reads one list for a scope instead of one per estate, and each
// estate's steps are summed once, not once for each region above it. So the regions are worked
// out a level at a time, from below: the communities first, then the streets, then the districts
// (regions_to_count). Kept in day order, one entry per day and category ('' for none); changes
// that cancel are dropped. Set every time: a district's lists run to tens of thousands of
// entries, and comparing them with the stored ones took the engine seconds a district.
// Parameters: $ids (list of District, Street or Community ids, of one level).
// Columns: none.
UNWIND $ids AS id
MATCH (r:Entity {id: id})
WHERE r:District OR r:Street OR r:Community
CALL (r) {
  MATCH (r)<-[:PART_OF]-(below)
  WHERE below.unattached_days IS NOT NULL
  UNWIND range(0, size(below.unattached_days) - 1) AS step
  WITH below.unattached_days[step] AS day, below.unattached_kinds[step] AS kind,
       sum(below.unattached_changes[step]) AS change
  WHERE change <> 0
  WITH kind, day, change ORDER BY day, kind
  RETURN CASE WHEN count(*) > 0 THEN collect(day) END AS days,
         CASE WHEN count(*) > 0 THEN collect(kind) END AS kinds,
         CASE WHEN count(*) > 0 THEN collect(change) END AS changes
}
SET r.unattached_days = days, r.unattached_kinds = kinds, r.unattached_changes = changes
FINISH
