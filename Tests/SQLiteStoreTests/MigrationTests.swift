import Testing

@testable import SQLiteStore

@Suite("Schema migrations")
struct MigrationTests {
  @Test("a fresh database is migrated to the latest version with every table")
  func freshDatabaseReachesLatestVersion() throws {
    let database = try TemporaryDatabase()
    let store = try NodeStore(path: database.path)
    try store.close()

    let connection = try Connection(path: database.path)
    #expect(try Migrator.version(of: connection) == Migrator.nodeStore.latestVersion)
    let tables = try connection.query(
      "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"
    ) { $0.text(0) }
    #expect(tables == ["assignments", "events", "meta", "nodes"])
    let mode = try connection.query("PRAGMA journal_mode") { $0.text(0) }
    #expect(mode == ["wal"])
  }

  @Test("re-opening a migrated database changes nothing and keeps the data")
  func reopeningIsANoOp() throws {
    let database = try TemporaryDatabase()
    let first = try NodeStore(path: database.path)
    let stored = try first.insertAdopted(.make())
    try first.close()

    let second = try NodeStore(path: database.path)
    #expect(try second.node(id: stored.id) == stored)
    #expect(try second.events(nodeID: stored.id).count == 1)

    let connection = try Connection(path: database.path)
    #expect(try Migrator.version(of: connection) == Migrator.nodeStore.latestVersion)
  }

  @Test("version 2 backfills each node's open assignment count from version 1 rows")
  func version2BackfillsOpenAssignments() throws {
    let database = try TemporaryDatabase()
    let old = try Connection(path: database.path)
    try Migrator(steps: Array(Migrator.nodeStore.steps.prefix(1))).migrate(old)
    let node = """
      INSERT INTO nodes (id, user_id, state, server_type, location, address, agent_port,
        provisioned, health, created_at_ms, updated_at_ms, state_changed_at_ms)
      VALUES (?, 'u', 'running', 'cx22', 'fsn1', '127.0.0.2', 8080, 0, 'unknown', 1, 1, 1)
      """
    let assignment = """
      INSERT INTO assignments (task_id, node_id, user_id, assigned_at_ms, released_at_ms)
      VALUES (?, ?, 'u', 1, ?)
      """
    for id in ["busy", "idle", "spare"] {
      try old.run(node, [id])
    }
    let rows: [(String, String, Int64?)] = [
      ("t1", "busy", nil), ("t2", "busy", nil), ("t3", "busy", 5), ("t4", "idle", 5),
    ]
    for (task, nodeID, released) in rows {
      try old.run(assignment, [task, nodeID, released])
    }
    try old.close()

    let store = try NodeStore(path: database.path)
    let counts = try store.nodes(userID: "u", includeTerminal: true).map(\.workspaces)
    #expect(counts == [2, 0, 0])
    #expect(try store.openAssignmentMismatches() == [])
  }

  @Test("migrating again applies no step twice")
  func migratingTwiceIsIdempotent() throws {
    let connection = try Connection(path: ":memory:")
    try Migrator.nodeStore.migrate(connection)
    try Migrator.nodeStore.migrate(connection)
    #expect(try Migrator.version(of: connection) == Migrator.nodeStore.latestVersion)
  }

  @Test("a database from a newer build is refused, not written")
  func newerSchemaIsRefused() throws {
    let database = try TemporaryDatabase()
    let connection = try Connection(path: database.path)
    try connection.execute("PRAGMA user_version = 99")
    try connection.close()

    let error = try #require(throws: NodeStoreError.self) {
      try NodeStore(path: database.path)
    }
    #expect(error.code == .schemaTooNew)
  }

  @Test("stores opened at once on a fresh file all succeed and migrate once")
  func racingOpenersMigrateOnce() throws {
    let database = try TemporaryDatabase()
    let path = database.path
    let failures = Locked<[String]>([])

    onThreads(8) { _ in
      do {
        let store = try NodeStore(path: path)
        try store.close()
      } catch {
        failures.update { $0.append("\(error)") }
      }
    }

    #expect(failures.current == [])
    let connection = try Connection(path: path)
    #expect(try Migrator.version(of: connection) == Migrator.nodeStore.latestVersion)
  }
}

@Suite("Deployment identity")
struct InstanceIDTests {
  @Test("a database gets one instance id for life; another database gets another")
  func instanceIDIsStablePerDatabase() throws {
    let first = try TemporaryDatabase()
    let id = try NodeStore(path: first.path).instanceID()
    #expect(id.count == 16 && id.allSatisfy(\.isHexDigit))
    #expect(try NodeStore(path: first.path).instanceID() == id)

    let second = try TemporaryDatabase()
    #expect(try NodeStore(path: second.path).instanceID() != id)
  }
}

@Suite("Damaged files")
struct IntegrityTests {
  @Test("a file whose index no longer matches its schema fails the integrity check")
  func damagedFileIsRefused() throws {
    let database = try TemporaryDatabase()
    let store = try NodeStore(path: database.path)
    for index in 0..<50 {
      _ = try store.insertAdopted(.make("node-\(index)", state: .running))
    }
    try store.checkIntegrity()
    try store.close()

    // Forget an index in the schema while its pages stay in the file.
    let raw = try Connection(path: database.path)
    try raw.run("PRAGMA writable_schema = ON")
    try raw.run("DELETE FROM sqlite_schema WHERE name = 'events_by_node'")
    try raw.close()

    let reopened = try NodeStore(path: database.path)
    let error = #expect(throws: NodeStoreError.self) { try reopened.checkIntegrity() }
    #expect(error?.message.contains("damaged") == true)
  }
}
