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

  /// Version 2: a stored count of each node's open assignments, and list-shaped indexes.
  ///
  /// `nodes.open_assignments` replaces the correlated `COUNT(*)` that every listed row ran.
  /// Triggers on `assignments` keep it equal to the number of rows with
  /// `released_at_ms IS NULL`: they run inside the statement that opens, closes, moves or
  /// deletes an assignment, so the count changes in the same transaction (and the same
  /// statement) as the assignment, whichever code path wrote it. The CHECK turns a count
  /// that would go negative (a bug) into a constraint error instead of a wrong number.
  ///
  /// `nodes_by_user_state_created` lets the per-user, per-state lists (selection) read rows
  /// already in `created_at_ms, id` order, with no sort; it covers the old `(user_id, state)`
  /// prefix, so that index goes. `nodes_by_user_id` serves the paged listing by id.
  static let version2 = """
    ALTER TABLE nodes ADD COLUMN open_assignments INTEGER NOT NULL DEFAULT 0
      CHECK (open_assignments >= 0);
    UPDATE nodes SET open_assignments = (
      SELECT COUNT(*) FROM assignments a
      WHERE a.node_id = nodes.id AND a.released_at_ms IS NULL);

    CREATE TRIGGER assignments_open_after_insert AFTER INSERT ON assignments
    WHEN NEW.released_at_ms IS NULL BEGIN
      UPDATE nodes SET open_assignments = open_assignments + 1 WHERE id = NEW.node_id;
    END;
    CREATE TRIGGER assignments_open_after_update
    AFTER UPDATE OF node_id, released_at_ms ON assignments
    WHEN (OLD.released_at_ms IS NULL) != (NEW.released_at_ms IS NULL)
      OR OLD.node_id != NEW.node_id BEGIN
      UPDATE nodes SET open_assignments = open_assignments - 1
      WHERE id = OLD.node_id AND OLD.released_at_ms IS NULL;
      UPDATE nodes SET open_assignments = open_assignments + 1
      WHERE id = NEW.node_id AND NEW.released_at_ms IS NULL;
    END;
    CREATE TRIGGER assignments_open_after_delete AFTER DELETE ON assignments
    WHEN OLD.released_at_ms IS NULL BEGIN
      UPDATE nodes SET open_assignments = open_assignments - 1 WHERE id = OLD.node_id;
    END;

    DROP INDEX nodes_by_user_state;
    CREATE INDEX nodes_by_user_state_created ON nodes (user_id, state, created_at_ms, id);
    CREATE INDEX nodes_by_user_id ON nodes (user_id, id);
    """

  /// Version 3: facts about the database itself. `instance_id` is drawn once, when the
  /// file is migrated, and names this deployment in the labels of its cloud servers, so
  /// that daemons on different databases never take each other's servers for orphans,
  /// while daemons sharing one database (one deployment) agree on it.
  static let version3 = """
    CREATE TABLE meta (
      key TEXT PRIMARY KEY NOT NULL,
      value TEXT NOT NULL
    ) STRICT;
    INSERT INTO meta (key, value) VALUES ('instance_id', lower(hex(randomblob(8))));
    """
}
