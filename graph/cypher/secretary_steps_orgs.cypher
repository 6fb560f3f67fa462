// The party organizations whose secretary steps a load (or an undo) may have changed: those it
// wrote posts on or took them back from, and those it let posts on go (the versions load $load
// kept of them). A secretary step reads only the post, not its holder.
// Parameters: $orgs (ids of the organizations it wrote posts on), $load (the load's number, or
//             null).
// Columns: ids (one row: the id of each party org, in no order).
CALL () {
  UNWIND $orgs AS id
  MATCH (o:PartyOrg {id: id})
  RETURN o
  UNION
  MATCH (v:Version {version_load: $load})
  WHERE v.version_type = 'HOLDS'
  MATCH (o:PartyOrg {id: v.version_to})
  RETURN o
}
RETURN collect(o.id) AS ids
