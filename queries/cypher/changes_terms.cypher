// The orgs of a scope whose current term (本届任期) began between two days: renewed (换届) after
// $since and on/before $until, by the term's recorded start.
// Parameters: $scope (district, street or community id; empty or null for everything), $since, $until
//             ('YYYY-MM-DD', $since before $until).
// Columns: org_id, org, term_start.
SPANNING_ORGS(o)
WITH o WHERE ALIVE(o, $until) AND o.term_start > $since AND o.term_start <= $until
RETURN o.id AS org_id, o.name AS org, o.term_start AS term_start
ORDER BY org_id
