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
    #expect(tables == ["assignments", "events", "nodes"])
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
