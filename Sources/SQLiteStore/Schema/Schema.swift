/// The SQL of each schema version; ``Migrator`` applies them in order.
///
/// Tables are STRICT (SQLite 3.37+), so a wrong type is an error instead of a silent
/// conversion. Times are Unix milliseconds. States and health are ``NodeState`` and
/// ``NodeHealth`` raw values.
enum Schema {
  static let version1 = """
    CREATE TABLE nodes (
      id TEXT PRIMARY KEY NOT NULL,
      user_id TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN
        ('creating', 'booting', 'running', 'warm', 'destroying', 'stopped', 'failed')),
      server_type TEXT NOT NULL,
      location TEXT NOT NULL,
      address TEXT NOT NULL,
      agent_port INTEGER NOT NULL,
      cloud_server_id INTEGER,
      provisioned INTEGER NOT NULL CHECK (provisioned IN (0, 1)),
      health TEXT NOT NULL CHECK (health IN ('unknown', 'healthy', 'unhealthy')),
      cpu_percent REAL,
      load_average_1m REAL,
      memory_percent REAL,
      failure_reason TEXT,
      created_at_ms INTEGER NOT NULL,
      updated_at_ms INTEGER NOT NULL,
      warm_since_ms INTEGER,
      state_changed_at_ms INTEGER NOT NULL,
      metrics_at_ms INTEGER,
      CHECK ((state = 'warm') = (warm_since_ms IS NOT NULL))
    ) STRICT;
    CREATE INDEX nodes_by_user_state ON nodes (user_id, state);
    CREATE INDEX nodes_by_state ON nodes (state);

    CREATE TABLE assignments (
      task_id TEXT PRIMARY KEY NOT NULL,
      node_id TEXT NOT NULL REFERENCES nodes (id),
      user_id TEXT NOT NULL,
      assigned_at_ms INTEGER NOT NULL,
      released_at_ms INTEGER
    ) STRICT;
    CREATE INDEX assignments_open_by_node ON assignments (node_id)
      WHERE released_at_ms IS NULL;

    CREATE TABLE events (
      id INTEGER PRIMARY KEY,
      node_id TEXT NOT NULL REFERENCES nodes (id),
      at_ms INTEGER NOT NULL,
      from_state TEXT,
      to_state TEXT NOT NULL,
      reason TEXT
    ) STRICT;
    CREATE INDEX events_by_node ON events (node_id, id);
    """
}
