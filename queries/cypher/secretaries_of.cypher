// The secretaries of some party organizations at $as_of: for each org, the persons holding a
// secretary post current then (CURRENT), by id — who is to be reminded of what the org
// oversees (terms asks it once for the superior orgs of every org it lists).
// Parameters: $ids (list of PartyOrg ids), $as_of ('YYYY-MM-DD').
// Columns: org_id, secretaries (list of {id, name, phone}; phone is PII, mask before
//          showing), an org without a current secretary not among them.
UNWIND $ids AS id
MATCH (org:PartyOrg {id: id})<-[h:HOLDS {role: 'secretary'}]-(s:Person)
WHERE CURRENT(h)
WITH org, s ORDER BY s.id
RETURN org.id AS org_id, collect({id: s.id, name: s.name, phone: s.phone}) AS secretaries
ORDER BY org_id
