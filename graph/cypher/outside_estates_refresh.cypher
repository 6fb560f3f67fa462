// Marks afresh which of some persons are party members living in no estate (LIVES_IN_NO_ESTATE:
// nowhere, or in a building of no estate) with outside_estates: true, and
// unmarks the others (the property is then absent): census_unattached reads the marked ones
// through an index, unscoped, instead of every party member; the rest of the unattached it
// reads from the regions' steps. Whether they count on a day (MEMBER_AT, no current
// membership) is judged where they are read. Set only when it changed.
// Parameters: $ids (list of Person ids).
// Columns: none.
UNWIND $ids AS id
MATCH (p:Person {id: id})
WITH p, coalesce(p.party_member, false) AND LIVES_IN_NO_ESTATE(p) AS outside
WHERE coalesce(p.outside_estates, false) <> outside
SET p.outside_estates = CASE WHEN outside THEN true END
FINISH
