import CSQLite

/// One open SQLite database handle; owns its `sqlite3*` and its cached statements.
///
/// Not thread-safe: opened with `SQLITE_OPEN_NOMUTEX` (SQLite's "multi-thread" mode), so
/// this handle, its statements and its statement cache must be used by one thread at a
/// time, and the caller provides that: ``NodeStore`` runs every call inside its own lock,
/// which also orders memory between the threads that take turns. Other connections (other
/// stores, other processes) remain safe to use at the same time; that is what the mode
/// promises as long as the library was built thread-safe, which ``init(path:busyTimeoutMs:)``
/// checks. Why not `FULLMUTEX`: it takes SQLite's connection mutex around every call, even
/// each `sqlite3_column_*`, which cost about 10% of the daemon's CPU per selection, and it
/// could never make this class safe anyway (a mutex per call does not keep another
/// thread's statements out of an open transaction, nor guard the statement cache).
///
/// Prepared statements are cached per SQL text (see ``withStatement(_:_:)``), so a hot path
/// prepares each statement once per connection. Call ``close()`` to see a failure;
/// `deinit` finalizes the cache and closes quietly.
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
  private var cache = StatementCache()

  init(path: String, busyTimeoutMs: Int32 = 5_000) throws {
    // NOMUTEX leaves cross-connection safety to the library's own build: refuse a library
    // built single-threaded (SQLITE_THREADSAFE=0), where even two connections may not run
    // at once. Debian's is built with 1 (serialized by default).
    guard sqlite3_threadsafe() != 0 else {
      throw SQLiteError(
        extendedCode: SQLITE_MISUSE, message: "libsqlite3 was built without threads", sql: nil)
    }
    var handle: OpaquePointer?
    let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
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
    // Cached statements hold this connection unowned; finalize them before the handle.
    // A statement still checked out cannot exist: it would be running inside a method.
    self.cache.removeAll()
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

  /// Finalizes the cached statements and closes the handle, reporting a failure (e.g. a
  /// statement still alive outside the cache).
  func close() throws {
    guard let handle = self.handle else {
      return
    }
    self.cache.removeAll()
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

  /// Runs `body` with a prepared statement for `sql`, from the cache when there is one.
  ///
  /// The statement is checked out for the call (a nested call with the same text prepares
  /// its own), then reset and put back, also when `body` throws: a reset statement holds
  /// no read snapshot or lock. ``Statement/bind(_:)`` resets and clears the bindings of a
  /// reused statement first, so `body` must bind before stepping. SQL text is the cache key,
  /// so callers build it from constants and placeholder counts, never from values.
  func withStatement<Result>(
    _ sql: String, _ body: (Statement) throws -> Result
  ) throws -> Result {
    _ = self.requireOpen()
    let statement = try self.cache.checkOut(sql) ?? Statement(connection: self, sql: sql)
    defer {
      statement.reset()
      if self.handle != nil {
        self.cache.checkIn(statement)
      }
    }
    return try body(statement)
  }

  /// Runs one statement to completion and returns how many rows it changed (rows changed
  /// by triggers are not counted).
  @discardableResult
  func run(_ sql: String, _ values: [SQLiteBindable?] = []) throws -> Int {
    try self.withStatement(sql) { statement in
      try statement.bind(values)
      while try statement.step() {}
      return Int(sqlite3_changes(self.requireOpen()))
    }
  }

  /// Runs one query and decodes every row.
  func query<Row>(
    _ sql: String, _ values: [SQLiteBindable?] = [], decode: (Statement) throws -> Row
  ) throws -> [Row] {
    try self.withStatement(sql) { statement in
      try statement.bind(values)
      return try statement.rows(decode)
    }
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
