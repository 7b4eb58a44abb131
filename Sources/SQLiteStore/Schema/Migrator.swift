/// Brings a database to the latest schema, one numbered step at a time.
///
/// The schema version lives in `PRAGMA user_version`. Each step runs in its own
/// `BEGIN IMMEDIATE` transaction that re-reads the version under the write lock, so two
/// processes starting at once on a fresh file apply each step exactly once: the loser of
/// the lock finds the step done and skips it. Steps are append-only: never edit a shipped
/// one, add a new one.
struct Migrator {
  struct Step {
    let version: Int
    let sql: String
  }

  let steps: [Step]

  /// The highest version the steps reach.
  var latestVersion: Int {
    self.steps.last?.version ?? 0
  }

  static let nodeStore = Migrator(steps: [
    Step(version: 1, sql: Schema.version1),
    Step(version: 2, sql: Schema.version2),
    Step(version: 3, sql: Schema.version3),
  ])

  /// Applies every missing step; throws ``NodeStoreError`` when the file is newer.
  func migrate(_ connection: Connection) throws {
    let current = try Self.version(of: connection)
    guard current <= self.latestVersion else {
      throw NodeStoreError.schemaTooNew(found: current, supported: self.latestVersion)
    }

    for step in self.steps where step.version > current {
      try connection.transaction(.immediate) {
        // Another process may have applied this step since the read above.
        guard try Self.version(of: connection) < step.version else {
          return
        }
        try connection.execute(step.sql)
        // PRAGMA takes no parameters; the version is our own integer, not input.
        try connection.execute("PRAGMA user_version = \(step.version)")
      }
    }
  }

  static func version(of connection: Connection) throws -> Int {
    Int(try connection.scalar("PRAGMA user_version") ?? 0)
  }
}
