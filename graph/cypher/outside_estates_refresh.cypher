// Marks afresh which of some persons are party members living in no estate — nowhere (no
// LIVES_IN) or in a building of no estate (no PART_OF) — with outside_estates: true, and
// unmarks the others (the property is then absent): census_unattached reads the marked ones
// through an index, unscoped, instead of every party member; the rest of the unattached it
// reads from the regions' steps. Whether they count on a day (MEMBER_AT, no current
// membership) is judged where they are read. Set only when it changed.
// Parameters: $ids (list of Person ids).
// Columns: none.
UNWIND $ids AS id
MATCH (p:Person {id: id})
WITH p, coalesce(p.party_member, false)
        AND (NOT EXISTS { (p)-[:LIVES_IN]->() }
             OR EXISTS { (p)-[:LIVES_IN]->(b:Building) WHERE NOT EXISTS { (b)-[:PART_OF]->() } })
        AS outside
WHERE coalesce(p.outside_estates, false) <> outside
SET p.outside_estates = CASE WHEN outside THEN true END
FINISH
