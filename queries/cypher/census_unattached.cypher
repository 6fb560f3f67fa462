// Census (DESIGN §4), beside the members: party members at $as_of (MEMBER_AT) with no current
// MEMBER_OF (组织关系未落实: a floating member, a membership not yet transferred) to an org that
// exists then (ALIVE), by member category, counted where they live (LIVES_IN a building of an
// estate of the scope); unscoped, all of them, living anywhere or nowhere. Unscoped, these and
// census_members add up to every party member. Read from the scope's unattached steps, the sum
// of its estates', which judge every resident by those rules (UNATTACHED_STEPS_AT;
// census_unattached_walk walks the residents); unscoped, from those of every top region, and the
// party members who live in no estate's building, marked by the loader (outside_estates, found
// by its index; outside_estates_refresh.cypher), are judged one by one.
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: category (code, or null when none is recorded), members (int); largest first, then
//          by category.
CALL () {
  CALL () {
    // Unscoped, every top region (the tree of PART_OF holds every estate once).
    UNWIND CASE WHEN coalesce($scope, '') = '' THEN [true] ELSE [] END AS everything
    MATCH (r:District|Street|Community)
    WHERE NOT EXISTS { (r)-[:PART_OF]->() }
    RETURN r
    UNION ALL
    MATCH (r:Entity {id: $scope})
    RETURN r
  }
  UNWIND UNATTACHED_STEPS_AT(r) AS step
  RETURN r.unattached_kinds[step] AS kind, r.unattached_changes[step] AS change
  UNION ALL
  // Unscoped, the party members who live in no estate's building: nowhere, or in a building
  // of no estate (the import gives every building its estate; a building's PART_OF is to one).
  UNWIND CASE WHEN coalesce($scope, '') = '' THEN [true] ELSE [] END AS everything
  MATCH (p:Person {outside_estates: true})
  WHERE MEMBER_AT(p) AND NOT EXISTS { (p)-[m:MEMBER_OF]->(org) WHERE CURRENT(m) AND ALIVE(org) }
  RETURN coalesce(p.member_category, '') AS kind, 1 AS change
}
WITH kind, sum(change) AS members
WHERE members <> 0
RETURN CASE WHEN kind <> '' THEN kind END AS category, members
ORDER BY members DESC, category
