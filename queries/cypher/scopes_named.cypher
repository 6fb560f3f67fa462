// The districts, streets and communities of a name (a clerk's --scope 盛泰街道), by id.
// Parameters: $scope_name (a name, as written in the roster).
// Columns: id, label, name.
MATCH (n:Entity)
WHERE (n:District OR n:Street OR n:Community) AND n.name = $scope_name
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'][0] AS label, n.name AS name
ORDER BY id
LIMIT 20
