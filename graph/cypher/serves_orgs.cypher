// The party organizations whose SERVES links a load may have changed: the orgs it wrote, those
// based in the firms and units it wrote, those covering the places it wrote or any place below
// them, those based in a firm managing an estate at or below those places or in a unit located
// in one of those streets, those belonging to those places or a region below them — and every
// org reporting to any of them, at any depth.
// Parameters: $orgs, $hosts (firm and unit ids), $places (region, estate and building ids).
// Columns: ids (one row: the id of each org, in no order).
CALL () {
  UNWIND $orgs AS id
  MATCH (o:PartyOrg {id: id})
  RETURN o
  UNION
  UNWIND $hosts AS id
  MATCH (:Entity {id: id})<-[:BASED_IN]-(o:PartyOrg)
  RETURN o
  UNION
  UNWIND $places AS id
  MATCH (:Entity {id: id})<-[:PART_OF*0..4]-()<-[:COVERS]-(o:PartyOrg)
  RETURN o
  UNION
  UNWIND $places AS id
  MATCH (:Entity {id: id})<-[:PART_OF*0..3]-(:Estate)<-[:MANAGES]-(:PropertyFirm)
        <-[:BASED_IN]-(o:PartyOrg)
  RETURN o
  UNION
  UNWIND $places AS id
  MATCH (:Street {id: id})<-[:LOCATED_IN]-(:Unit)<-[:BASED_IN]-(o:PartyOrg)
  RETURN o
  UNION
  UNWIND $places AS id
  MATCH (:Entity {id: id})<-[:PART_OF*0..2]-()<-[:BELONGS_TO]-(o:PartyOrg)
  RETURN o
}
MATCH (o)<-[:REPORTS_TO*0..]-(below:PartyOrg)
RETURN collect(DISTINCT below.id) AS ids
