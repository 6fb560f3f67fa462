// The party organizations whose member steps a load may have changed: the orgs it named in
// memberships, those of the people it wrote, and those whose memberships it let go of (the
// versions it kept of them).
// Parameters: $orgs, $people (person ids), $load (the load's number, or null).
// Columns: ids (one row: the id of each org, in no order).
CALL () {
  UNWIND $orgs AS id
  MATCH (o:PartyOrg {id: id})
  RETURN o
  UNION
  UNWIND $people AS id
  MATCH (:Person {id: id})-[:MEMBER_OF]->(o:PartyOrg)
  RETURN o
  UNION
  MATCH (v:Version {version_load: $load})
  WHERE v.version_type = 'MEMBER_OF'
  MATCH (o:PartyOrg {id: v.version_to})
  RETURN o
}
RETURN collect(o.id) AS ids
