// The indexes the database has, by name, and whether each is built: those a constraint owns
// carry the constraint's name, so the names cover graph.schema's constraints too.
// Parameters: none.
// Columns: name (string), online (boolean: built and in use).
SHOW INDEXES YIELD name, state
RETURN name, state = 'ONLINE' AS online
