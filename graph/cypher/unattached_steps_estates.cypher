// The estates whose unattached steps a load (or an undo) may have changed: where the people it
// wrote live, where the members of the orgs it wrote (or named in memberships) live, the
// estates of the buildings whose residents or estate it wrote, and the homes and estates it let
// go of (the versions load $load kept of them).
// Parameters: $people (person ids), $orgs (party org ids), $buildings (building ids),
//             $places (ids of places whose PART_OF it wrote), $load (the load's number, or null).
// Columns: ids (one row: the id of each estate, in no order).
CALL () {
  UNWIND $people AS id
  MATCH (:Person {id: id})-[:LIVES_IN]->(:Building)-[:PART_OF]->(e:Estate)
  RETURN e
  UNION
  UNWIND $orgs AS id
  MATCH (:PartyOrg {id: id})<-[:MEMBER_OF]-(:Person)-[:LIVES_IN]->(:Building)
        -[:PART_OF]->(e:Estate)
  RETURN e
  UNION
  UNWIND $buildings + $places AS id
  MATCH (:Entity {id: id})-[:PART_OF*0..1]->(e:Estate)
  RETURN e
  UNION
  MATCH (v:Version {version_load: $load})
  WHERE v.version_type IN ['LIVES_IN', 'PART_OF']
  MATCH (:Entity {id: v.version_to})-[:PART_OF*0..1]->(e:Estate)
  RETURN e
}
RETURN collect(e.id) AS ids
