// The estates whose triad steps a load (or an undo) may have changed: those linked (COVERS,
// REPRESENTS, MANAGES) to an organization it wrote, wrote a link of or a post on, the estates
// it wrote, and those it let a link to, or a post on one of their parties, go (the versions
// load $load kept of them); with $everyone, every estate.
// Parameters: $everyone (bool), $bodies (ids of the party orgs, committees, firms and units
//             noted), $estates (ids of the places noted; those that are estates count),
//             $load (the load's number, or null).
// Columns: ids (one row: the id of each estate, in no order).
CALL () {
  UNWIND CASE WHEN $everyone THEN [true] ELSE [] END AS everything
  MATCH (e:Estate)
  RETURN e
  UNION
  UNWIND $bodies AS id
  MATCH (:Entity {id: id})-[:COVERS|REPRESENTS|MANAGES]->(e:Estate)
  RETURN e
  UNION
  UNWIND $estates AS id
  MATCH (e:Estate {id: id})
  RETURN e
  UNION
  MATCH (v:Version {version_load: $load})
  WHERE v.version_type IN ['COVERS', 'REPRESENTS', 'MANAGES']
  MATCH (e:Estate {id: v.version_to})
  RETURN e
  UNION
  MATCH (v:Version {version_load: $load})
  WHERE v.version_type = 'HOLDS'
  MATCH (:Entity {id: v.version_to})-[:COVERS|REPRESENTS|MANAGES]->(e:Estate)
  RETURN e
}
RETURN collect(e.id) AS ids
