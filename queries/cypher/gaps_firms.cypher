// Red property (红色物业): property firms managing estates of a scope at $as_of with neither a party org
// based in them (org coverage) nor a party_guide post current at $as_of (work coverage), with the
// estates of the scope they manage (DESIGN §4).
// Valid time (DESIGN §4): at $as_of it reads orgs and committees that exist then (ALIVE) and
// estates built by then (BUILT).
// Parameters: $scope (district, street or community id; empty or null for everything), $as_of ('YYYY-MM-DD').
// Columns: firm_id, firm, star_rating (int or null), estate_ids (list of ids), estates (list of names).
MATCH (root:Entity) WHERE root.id = $scope OR (coalesce($scope, '') = '' AND root:District)
MATCH (root)<-[:PART_OF*0..3]-(e:Estate)<-[m:MANAGES]-(f:PropertyFirm)
WHERE CURRENT(m) AND BUILT(e)
WITH DISTINCT f, e
WHERE NOT EXISTS { (o:PartyOrg)-[:BASED_IN]->(f) WHERE ALIVE(o) }
  AND NOT EXISTS {
    (:Person)-[h:HOLDS {role: 'party_guide'}]->(f)
    WHERE CURRENT(h)
  }
WITH f, e ORDER BY e.id
RETURN f.id AS firm_id, f.name AS firm, f.star_rating AS star_rating,
       collect(e.id) AS estate_ids, collect(e.name) AS estates
ORDER BY size(estate_ids) DESC, firm_id
