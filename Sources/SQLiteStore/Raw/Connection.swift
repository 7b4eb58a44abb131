import CSQLite

/// One open SQLite database handle; owns its `sqlite3*`.
///
/// Opened with `SQLITE_OPEN_FULLMUTEX`, so a stray call from a second thread cannot corrupt
/// SQLite's own state; callers still serialise whole transactions with their own lock
/// (``NodeStore`` does), because a mutex per call does not keep another thread's statements
/// out of an open transaction. Call ``close()`` to see a failure; `deinit` closes quietly.
///
/// Pragmas set on open, and why:
/// - `busy_timeout` (default 5 s): another connection, possibly in another process, may
///   hold the write lock; wait for it instead of failing at once.
/// - `journal_mode=WAL`: readers never block the writer and the writer never blocks readers,
///   which lets several daemon threads and processes share the file.
/// - `synchronous=NORMAL`: in WAL mode this syncs at checkpoints, not at every commit. A
///   commit is still durable across an application crash (it is in the WAL file, which the
///   OS keeps); only a power loss or kernel crash can lose the last few commits, and never
///   corrupts the file. The reconciler repairs what such a loss could leave behind (a cloud
///   server whose row vanished is found by its labels and deleted).
/// - `foreign_keys=ON`: SQLite leaves foreign keys off per connection unless asked.
final class Connection {
  /// Valid until ``close()``; using it afterwards is a programmer error.
  private(set) var handle: OpaquePointer?
  let path: String

  init(path: String, busyTimeoutMs: Int32 = 5_000) throws {
    var handle: OpaquePointer?
    let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
    let code = sqlite3_open_v2(path, &handle, flags, nil)
    guard code == SQLITE_OK, let handle else {
      // sqlite3_open_v2 hands back a handle even on failure; read its message, then free it.
      let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
      sqlite3_close_v2(handle)
      throw SQLiteError(extendedCode: code, message: message, sql: nil)
    }
    self.handle = handle
    self.path = path
    sqlite3_extended_result_codes(handle, 1)
    try self.check(sqlite3_busy_timeout(handle, busyTimeoutMs))
    try self.configure()
  }

  deinit {
    // Statements hold a strong reference to this connection, so none is left to finalize.
    sqlite3_close_v2(self.handle)
  }

  private func configure() throws {
    // journal_mode answers with a row (the mode now in force); ":memory:" stays "memory".
    let mode = try self.query("PRAGMA journal_mode = WAL") { $0.text(0) }.first ?? ""
    if mode.lowercased() != "wal" && mode.lowercased() != "memory" {
      throw SQLiteError(
        extendedCode: SQLITE_ERROR, message: "journal_mode is \(mode), wanted wal", sql: nil)
    }
    try self.execute("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
  }

  /// Closes the handle, reporting a failure (e.g. a statement still alive).
  func close() throws {
    guard let handle = self.handle else {
      return
    }
    try self.check(sqlite3_close(handle))
    self.handle = nil
  }

  /// The single place that turns a result code into a thrown ``SQLiteError``.
  ///
  /// OK, ROW and DONE pass. The message is read at once, before any other call on this
  /// handle can replace it; `sql` must be the placeholder text, never an expanded statement.
  func check(_ code: Int32, sql: String? = nil) throws {
    if code == SQLITE_OK || code == SQLITE_ROW || code == SQLITE_DONE {
      return
    }
    let handle = self.requireOpen()
    let message = String(cString: sqlite3_errmsg(handle))
    let extended = sqlite3_extended_errcode(handle)
    let best = (extended & 0xff) == (code & 0xff) ? extended : code
    throw SQLiteError(extendedCode: best, message: message, sql: sql)
  }

  func requireOpen() -> OpaquePointer {
    guard let handle = self.handle else {
      preconditionFailure("use of a closed SQLite connection (\(self.path))")
    }
    return handle
  }

  /// Runs one or more statements that take no parameters (schema, pragmas).
  func execute(_ sql: String) throws {
    let code = sqlite3_exec(self.requireOpen(), sql, nil, nil, nil)
    try self.check(code, sql: sql)
  }

  func prepare(_ sql: String) throws -> Statement {
    _ = self.requireOpen()
    return try Statement(connection: self, sql: sql)
  }

  /// Runs one statement to completion and returns how many rows it changed.
  @discardableResult
  func run(_ sql: String, _ values: [SQLiteBindable?] = []) throws -> Int {
    let statement = try self.prepare(sql)
    try statement.bind(values)
    while try statement.step() {}
    return Int(sqlite3_changes(self.requireOpen()))
  }

  /// Runs one query and decodes every row.
  func query<Row>(
    _ sql: String, _ values: [SQLiteBindable?] = [], decode: (Statement) throws -> Row
  ) throws -> [Row] {
    let statement = try self.prepare(sql)
    try statement.bind(values)
    return try statement.rows(decode)
  }

  /// The first column of the first row as an integer, nil when there is no row or it is NULL.
  func scalar(_ sql: String, _ values: [SQLiteBindable?] = []) throws -> Int64? {
    try self.query(sql, values) { $0.optionalInt64(0) }.first ?? nil
  }

  /// False while a transaction is open on this handle.
  var isAutocommit: Bool {
    sqlite3_get_autocommit(self.requireOpen()) != 0
  }
}
