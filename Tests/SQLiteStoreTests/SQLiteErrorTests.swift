import CSQLite
import NodeSelectorCore
import Testing

@testable import SQLiteStore

@Suite("SQLite errors")
struct SQLiteErrorTests {
  /// A value that must never appear in an error: it stands for a user or task id.
  static let secret = "secret-task-id-7f3a"

  @Test("a constraint failure carries the SQL and codes but never a bound value")
  func constraintErrorHidesBoundValues() throws {
    let store = try NodeStore(path: ":memory:")
    _ = try store.insertAdopted(.make(Self.secret, state: .running))

    // A second reservation of the same node id fails on the primary key inside NodeRows.
    let error = try #require(throws: SQLiteError.self) {
      try store.reserveProvisioning(
        node: .make(Self.secret, state: .creating), taskID: "task-x", nodeLimit: 10,
        nowMs: 1)
    }

    #expect(error.code == SQLITE_CONSTRAINT)
    // SQLITE_CONSTRAINT_PRIMARYKEY: a macro with an expression, which Swift does not import.
    #expect(error.extendedCode == SQLITE_CONSTRAINT | (6 << 8))
    #expect(error.isConstraintViolation)
    #expect(error.sql?.contains("INSERT INTO nodes") == true)
    #expect(error.sql?.contains("?") == true)
    #expect(!error.description.contains(Self.secret))
    #expect(!error.message.contains(Self.secret))
    #expect(!"\(error)".contains("task-x"))
  }

  @Test("a failed transaction is rolled back whole")
  func failedTransactionRollsBack() throws {
    let store = try NodeStore(path: ":memory:")
    _ = try store.insertAdopted(.make("taken", state: .running))

    _ = try? store.reserveProvisioning(
      node: .make("taken", state: .creating), taskID: "t1", nodeLimit: 10, nowMs: 1)

    #expect(try store.assignment(taskID: "t1") == nil)
    #expect(try store.events(nodeID: "taken").count == 1)
  }

  @Test("a syntax error names the statement as written")
  func syntaxErrorNamesStatement() throws {
    let connection = try Connection(path: ":memory:")

    let error = try #require(throws: SQLiteError.self) {
      try connection.run("SELEKT ?", [Self.secret])
    }

    #expect(error.code == SQLITE_ERROR)
    #expect(error.sql == "SELEKT ?")
    #expect(!error.description.contains(Self.secret))
  }

  @Test("close reports success and a closed store can be dropped quietly")
  func closeSucceeds() throws {
    let database = try TemporaryDatabase()
    let store = try NodeStore(path: database.path)
    try store.close()
    try store.close()
  }
}
