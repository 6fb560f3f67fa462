// Taking back a load, last: give every link of one type it changed back its properties, and
// make again every link of that type it let go of, as they were; then drop the version.
// Template: {type} is filled from graph.model.Rel only.
// Parameters: $load, $key (the type's key properties: a changed link is the one whose key
//             equals the version's).
// Returns: nothing.
MATCH (v:Version {version_load: $load, version_kind: 'link', version_type: '{type}'})
CALL (v) {
  MATCH (a:Entity {id: v.version_from}), (b:Entity {id: v.version_to})
  CALL (a, b, v) {
    WITH a, b, v WHERE v.version_change = 'changed'
    MATCH (a)-[r:{type}]->(b)
    WHERE all(k IN $key WHERE r[k] = v[k])
    SET r = properties(v)
    REMOVE r.version_load, r.version_kind, r.version_change, r.version_type, r.version_from,
           r.version_to, r.version_source
  }
  CALL (a, b, v) {
    WITH a, b, v WHERE v.version_change = 'cleared'
    CREATE (a)-[r:{type}]->(b)
    SET r = properties(v)
    REMOVE r.version_load, r.version_kind, r.version_change, r.version_type, r.version_from,
           r.version_to, r.version_source
  }
  DELETE v
} IN TRANSACTIONS OF 10000 ROWS
