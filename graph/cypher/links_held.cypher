// The links some entities hold, of the types asked: for each (source, type), every target
// and the link's properties (a load limited to a jurisdiction checks that a row naming
// something outside it only restates a link, and lets go of none to it).
// Parameters: $links (list of {source, type}).
// Columns: source, type, target, properties (map).
UNWIND $links AS link
MATCH (a:Entity {id: link.source})-[r]->(b:Entity)
WHERE type(r) = link.type
RETURN link.source AS source, link.type AS type, b.id AS target, properties(r) AS properties
