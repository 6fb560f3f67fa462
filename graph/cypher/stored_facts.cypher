// What the loader's checks of meaning read of entities already stored: an org's type, a
// person's party membership, a building's estate and that estate's households.
// Parameters: $ids — list of ids.
// Columns: id (string), type (a PartyOrg's, or null), party_member (a Person's, or null),
//          estate_id (a Building's estate, or null), households (an Estate's own, a Building's
//          estate's, or null).
UNWIND $ids AS id
MATCH (n:Entity {id: id})
OPTIONAL MATCH (n:Building)-[:PART_OF]->(estate:Estate)
RETURN id, n.type AS type, n.party_member AS party_member, estate.id AS estate_id,
       CASE WHEN n:Estate THEN n.households ELSE estate.households END AS households
