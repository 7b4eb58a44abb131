import Testing

@testable import SQLiteStore

@Suite("Prepared statement cache")
struct StatementCacheTests {
  @Test("a statement run twice is prepared once and rebinds cleanly")
  func repeatedStatementIsReused() throws {
    let connection = try Connection(path: ":memory:")
    try connection.execute("CREATE TABLE t (x INTEGER, y TEXT)")
    let before = try connection.withStatement("INSERT INTO t VALUES (?, ?)") { $0 }

    try connection.run("INSERT INTO t VALUES (?, ?)", [1, "one"])
    try connection.run("INSERT INTO t VALUES (?, ?)", [2, nil])
    let after = try connection.withStatement("INSERT INTO t VALUES (?, ?)") { $0 }

    #expect(before === after)
    let rows = try connection.query("SELECT x, y FROM t ORDER BY x") {
      "\($0.int(0)) \($0.optionalText(1) ?? "NULL")"
    }
    #expect(rows == ["1 one", "2 NULL"])
  }

  @Test("the same SQL inside its own decode gets a second statement")
  func nestedUseOfOneTextWorks() throws {
    let connection = try Connection(path: ":memory:")
    let sql = "SELECT ? + 1"
    let nested = try connection.query(sql, [1]) { outer in
      try connection.query(sql, [outer.int(0) * 10]) { $0.int(0) }.first ?? -1
    }
    #expect(nested == [21])
  }

  @Test("a query that throws midway leaves no read open and its statement reusable")
  func throwingDecodeResetsTheStatement() throws {
    struct Stop: Error {}
    let connection = try Connection(path: ":memory:")
    try connection.execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3);")

    #expect(throws: Stop.self) {
      try connection.query("SELECT x FROM t ORDER BY x") { _ -> Int in throw Stop() }
    }
    #expect(connection.isAutocommit)
    #expect(try connection.query("SELECT x FROM t ORDER BY x") { $0.int(0) } == [1, 2, 3])
  }

  @Test("closing finalizes cached statements instead of failing with them alive")
  func closeFinalizesTheCache() throws {
    let connection = try Connection(path: ":memory:")
    _ = try connection.scalar("SELECT 1")
    try connection.run("BEGIN")
    try connection.run("COMMIT")

    try connection.close()
    #expect(connection.handle == nil)
  }
}
