// Where an entity sits in the tree: the ids from the top down to it — up PART_OF for a place
// (a building by its estate), up REPORTS_TO for a party org — so that the tree can open the
// branches that lead to it.
// Parameters: $id (a place or party org id).
// Columns: ids (list, top first).
MATCH (n:Entity {id: $id})
CALL (n) {
  MATCH path = (n)-[:PART_OF*0..6]->(top)
  WHERE NOT n:PartyOrg AND NOT (top)-[:PART_OF]->()
  RETURN [x IN reverse(nodes(path)) | x.id] AS ids
  UNION
  MATCH path = (n:PartyOrg)-[:REPORTS_TO*0..12]->(top)
  WHERE NOT (top)-[:REPORTS_TO]->()
  RETURN [x IN reverse(nodes(path)) | x.id] AS ids
}
RETURN ids
LIMIT 1
