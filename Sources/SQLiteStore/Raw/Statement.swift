import CSQLite

/// One prepared statement; owns its `sqlite3_stmt` and finalizes it in `deinit`.
///
/// Not thread-safe: use it on the thread that holds the connection's lock. It is made and
/// kept by its ``Connection`` (see ``Connection/withStatement(_:_:)``), whose cache holds
/// it, so it refers to the connection `unowned`: a strong reference would be a cycle. The
/// connection finalizes its cached statements before closing; using a statement after
/// its connection is gone is a programmer error and traps.
final class Statement {
  unowned let connection: Connection
  /// The text as prepared, with placeholders; what errors report.
  let sql: String
  private let handle: OpaquePointer
  /// True while a cached statement is lent out by its ``StatementCache``; only the cache
  /// reads or writes it.
  var isCheckedOut = false

  init(connection: Connection, sql: String) throws {
    var handle: OpaquePointer?
    // PERSISTENT: a hint that the statement is kept and reused (it is cached).
    let flags = UInt32(SQLITE_PREPARE_PERSISTENT)
    let code = sqlite3_prepare_v3(connection.handle, sql, -1, flags, &handle, nil)
    try connection.check(code, sql: sql)
    // A string of only whitespace or comments prepares to NULL: that is a programmer error.
    guard let handle else {
      preconditionFailure("SQL prepared to no statement: \(sql)")
    }
    self.connection = connection
    self.sql = sql
    self.handle = handle
  }

  deinit {
    sqlite3_finalize(self.handle)
  }

  /// Binds `values` to the placeholders in order; nil binds NULL.
  ///
  /// A count that differs from the statement's placeholders is a programmer error.
  func bind(_ values: [SQLiteBindable?]) throws {
    let expected = Int(sqlite3_bind_parameter_count(self.handle))
    precondition(values.count == expected, "bind count \(values.count) != \(expected): \(sql)")
    try self.connection.check(sqlite3_reset(self.handle), sql: self.sql)
    try self.connection.check(sqlite3_clear_bindings(self.handle), sql: self.sql)
    for (offset, value) in values.enumerated() {
      try self.bind(value?.sqliteValue ?? .null, at: Int32(offset + 1))
    }
  }

  private func bind(_ value: SQLiteValue, at index: Int32) throws {
    let code: Int32
    switch value {
    case .integer(let number):
      code = sqlite3_bind_int64(self.handle, index, number)
    case .real(let number):
      code = sqlite3_bind_double(self.handle, index, number)
    case .text(let text):
      code = sqlite3_bind_text(self.handle, index, text, -1, csqlite_transient())
    case .null:
      code = sqlite3_bind_null(self.handle, index)
    }
    try self.connection.check(code, sql: self.sql)
  }

  /// Ends a run early or after its last row, releasing the read snapshot or lock it held.
  /// Its return repeats the last step's error, which that step already threw: ignored.
  func reset() {
    sqlite3_reset(self.handle)
  }

  /// Runs one step. True when a row is ready to read, false when the statement is done.
  @discardableResult
  func step() throws -> Bool {
    let code = sqlite3_step(self.handle)
    if code == SQLITE_ROW {
      return true
    }
    try self.connection.check(code, sql: self.sql)
    return false
  }

  /// Steps to the end, decoding each row.
  func rows<Row>(_ decode: (Statement) throws -> Row) throws -> [Row] {
    var rows: [Row] = []
    while try self.step() {
      rows.append(try decode(self))
    }
    return rows
  }

  // MARK: Column getters (index 0 is the first result column)

  func isNull(_ column: Int32) -> Bool {
    sqlite3_column_type(self.handle, column) == SQLITE_NULL
  }

  func int64(_ column: Int32) -> Int64 {
    sqlite3_column_int64(self.handle, column)
  }

  func optionalInt64(_ column: Int32) -> Int64? {
    self.isNull(column) ? nil : self.int64(column)
  }

  func int(_ column: Int32) -> Int {
    Int(self.int64(column))
  }

  func bool(_ column: Int32) -> Bool {
    self.int64(column) != 0
  }

  func optionalDouble(_ column: Int32) -> Double? {
    self.isNull(column) ? nil : sqlite3_column_double(self.handle, column)
  }

  /// The column as text; NULL reads as the empty string.
  func text(_ column: Int32) -> String {
    self.optionalText(column) ?? ""
  }

  /// The index in `names` of the entry whose UTF-8 bytes equal the column's text, without
  /// building a String (for enum columns read once per row); nil when none does or NULL.
  func textIndex(_ column: Int32, in names: [[UInt8]]) -> Int? {
    guard let bytes = sqlite3_column_text(self.handle, column) else {
      return nil
    }
    let count = Int(sqlite3_column_bytes(self.handle, column))
    let text = UnsafeBufferPointer(start: bytes, count: count)
    return names.firstIndex { $0.elementsEqual(text) }
  }

  /// Copies the column's UTF-8 bytes; the length comes from SQLite (asked after the text,
  /// as its docs require), so no `strlen` walks them again.
  func optionalText(_ column: Int32) -> String? {
    guard let bytes = sqlite3_column_text(self.handle, column) else {
      return nil
    }
    let count = Int(sqlite3_column_bytes(self.handle, column))
    return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
  }
}
