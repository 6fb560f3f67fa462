// The party organizations whose size steps a load (or an undo) may have changed: every org at or
// above one whose member steps, row, links or parent's row it may have changed, one it named as
// a parent, or one it took a child from (the versions load $load kept of REPORTS_TO) — of those,
// the ones that are a branch or a general branch on some day and those marked sized or with
// size steps (which may have to go). With $everyone, all of those in the graph.
// Parameters: $everyone (bool), $orgs (PartyOrg ids), $load (the load's number, or null).
// Columns: ids (one row: the id of each org, in no order).
CALL () {
  UNWIND CASE WHEN $everyone THEN [true] ELSE [] END AS everything
  MATCH (o:PartyOrg)
  RETURN o
  UNION
  CALL () {
    UNWIND $orgs AS id
    MATCH (o:PartyOrg {id: id})
    RETURN o
    UNION
    MATCH (v:Version {version_load: $load})
    WHERE v.version_type = 'REPORTS_TO'
    MATCH (o:PartyOrg {id: v.version_to})
    RETURN o
  }
  MATCH (o)-[:REPORTS_TO*0..]->(up:PartyOrg)
  RETURN up AS o
}
WITH DISTINCT o
WHERE o.sized OR o.size_days IS NOT NULL
   OR any(type IN [o.type] + coalesce(o.form_type, []) WHERE type IN ['branch', 'general_branch'])
RETURN collect(o.id) AS ids
