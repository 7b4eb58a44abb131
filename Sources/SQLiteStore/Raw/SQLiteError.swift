import CSQLite

/// A failed sqlite3 call: the result codes, SQLite's message and the SQL being run.
///
/// Built only by ``Connection/check(_:sql:)``. `sql` is the statement text as prepared, with
/// `?` placeholders: bound values never appear here (they can be user or task ids), and the
/// message comes from `sqlite3_errmsg`, which names columns and constraints but not values.
public struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The extended result code (for example `SQLITE_CONSTRAINT_PRIMARYKEY`).
  public let extendedCode: Int32
  public let message: String
  /// The SQL text without bound values; nil when the failure was not tied to a statement.
  public let sql: String?

  init(extendedCode: Int32, message: String, sql: String?) {
    self.extendedCode = extendedCode
    self.message = message
    self.sql = sql
  }

  /// The primary result code (the low 8 bits of the extended one), e.g. `SQLITE_BUSY`.
  public var code: Int32 {
    self.extendedCode & 0xff
  }

  /// True for any constraint failure: primary key, unique, foreign key, check, not null.
  public var isConstraintViolation: Bool {
    self.code == SQLITE_CONSTRAINT
  }

  /// True when another connection held the lock for longer than the busy timeout.
  public var isBusy: Bool {
    self.code == SQLITE_BUSY || self.code == SQLITE_LOCKED
  }

  public var description: String {
    let name = String(cString: sqlite3_errstr(self.extendedCode))
    let statement = self.sql.map { " [\($0)]" } ?? ""
    return "SQLiteError(\(self.extendedCode), \(name)): \"\(self.message)\"\(statement)"
  }
}
