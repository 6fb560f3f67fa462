// An entity's recorded versions (docs/model.md, Provenance): its properties now, the versions
// of it kept by the loads that changed it, its links out now, and the versions of its links
// out kept by the loads that changed or let go of them.
// Parameters: $id.
// Columns: label, props (map), versions (list of maps), links (list of {type, other_id,
//          other_name, other_label, props}), link_versions (list of maps, with other_name and
//          other_label).
MATCH (n:Entity {id: $id})
RETURN [l IN labels(n) WHERE l <> 'Entity'][0] AS label, properties(n) AS props,
       COLLECT { MATCH (v:Version {version_of: $id}) RETURN properties(v) ORDER BY v.version_load }
         AS versions,
       COLLECT { MATCH (n)-[r]->(m) WHERE r.load_created IS NOT NULL
                 RETURN {type: type(r), other_id: m.id, other_name: m.name,
                         other_label: [l IN labels(m) WHERE l <> 'Entity'][0],
                         props: properties(r)}
                 ORDER BY type(r), m.id } AS links,
       COLLECT { MATCH (v:Version {version_from: $id})
                 OPTIONAL MATCH (m:Entity {id: v.version_to})
                 RETURN v {.*, other_name: m.name,
                        other_label: [l IN labels(m) WHERE l <> 'Entity'][0]}
                 ORDER BY v.version_load }
         AS link_versions
