// The persons whose mark of many posts and POSTED_IN links a load (or an undo) may have changed:
// those whose posts it wrote or took back, the holders of posts on the party orgs whose SERVES
// links were worked out again, on the committees, firms and units it wrote a REPRESENTS,
// MANAGES or LOCATED_IN link of, and on every organization at or below a place whose PART_OF it
// wrote (its communities, grids and buildings, the committees and firms of its estates, the units
// of its streets); and those whose post, or such a link or PART_OF, it let go (the versions load
// $load kept of them). With $everyone, everyone holding a post or marked.
// Parameters: $everyone (bool), $people (person ids), $bodies (ids of orgs, committees, firms
//             and units), $places (ids of territorial entities), $load (the load's number, or
//             null).
// Columns: ids (one row: the id of each person, in no order).
CALL () {
  UNWIND CASE WHEN $everyone THEN [true] ELSE [] END AS everything
  MATCH (p:Person)
  WHERE p.many_posts OR EXISTS { (p)-[:HOLDS]->() }
  RETURN p
  UNION
  UNWIND $people AS id
  MATCH (p:Person {id: id})
  RETURN p
  UNION
  MATCH (v:Version {version_load: $load})
  WHERE v.version_type = 'HOLDS'
  MATCH (p:Person {id: v.version_from})
  RETURN p
  UNION
  CALL () {
    UNWIND $bodies AS id
    RETURN id
    UNION
    MATCH (v:Version {version_load: $load})
    WHERE v.version_type IN ['REPRESENTS', 'MANAGES', 'LOCATED_IN']
    RETURN v.version_from AS id
  }
  MATCH (:Entity {id: id})<-[:HOLDS]-(p:Person)
  RETURN p
  UNION
  CALL () {
    UNWIND $places AS id
    RETURN id
    UNION
    MATCH (v:Version {version_load: $load})
    WHERE v.version_type = 'PART_OF'
    RETURN v.version_from AS id
  }
  MATCH (:Entity {id: id})<-[:PART_OF*0..4]-(below)
  CALL (below) {
    MATCH (below)<-[:HOLDS]-(p:Person)
    RETURN p
    UNION
    MATCH (below:Estate)<-[:REPRESENTS|MANAGES]-()<-[:HOLDS]-(p:Person)
    RETURN p
    UNION
    MATCH (below:Street)<-[:LOCATED_IN]-()<-[:HOLDS]-(p:Person)
    RETURN p
  }
  RETURN p
}
RETURN collect(p.id) AS ids
