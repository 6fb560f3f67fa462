// The communities, streets and districts whose unattached steps a load (or an undo) may have
// changed: those above the estates whose steps were worked out again, above the places whose
// parent it wrote, the parents it wrote or took back, and those above the parents it let go of
// (the versions load $load kept of them).
// Parameters: $ids (estate, community or street ids: those refreshed and those whose PART_OF
//             was written), $regions (parents written or taken back), $load (the load's number,
//             or null).
// Columns: communities, streets, districts (one row: a list of ids each, in no order).
CALL () {
  UNWIND $ids + $regions AS id
  MATCH (:Entity {id: id})-[:PART_OF*0..3]->(r)
  WHERE r:District OR r:Street OR r:Community
  RETURN r
  UNION
  MATCH (v:Version {version_load: $load})
  WHERE v.version_type = 'PART_OF'
  MATCH (:Entity {id: v.version_to})-[:PART_OF*0..3]->(r)
  WHERE r:District OR r:Street OR r:Community
  RETURN r
}
WITH collect(r) AS regions
RETURN [r IN regions WHERE r:Community | r.id] AS communities,
       [r IN regions WHERE r:Street | r.id] AS streets,
       [r IN regions WHERE r:District | r.id] AS districts
