/// How a transaction takes its locks.
enum TransactionKind: String {
  /// Takes a read snapshot at the first read; upgrading to a write can fail at once with
  /// SQLITE_BUSY (the busy timeout does not help), so use it for reads only.
  case deferred = "DEFERRED"
  /// Takes the write lock at BEGIN, waiting up to the busy timeout. Every write uses this.
  case immediate = "IMMEDIATE"
}

extension Connection {
  /// Runs `body` inside one transaction: COMMIT when it returns, ROLLBACK when it throws.
  ///
  /// Nesting is a programmer error (SQLite has no nested BEGIN). A failed COMMIT is rolled
  /// back and rethrown, so the handle is never left inside a transaction. BEGIN, COMMIT
  /// and ROLLBACK run as cached statements, like everything else on the hot path.
  func transaction<Result>(
    _ kind: TransactionKind = .immediate, _ body: () throws -> Result
  ) throws -> Result {
    precondition(self.isAutocommit, "nested transaction on \(self.path)")
    try self.run("BEGIN \(kind.rawValue)")

    let result: Result
    do {
      result = try body()
      try self.run("COMMIT")
    } catch {
      self.rollbackQuietly()
      throw error
    }
    return result
  }

  /// Rolls back if a transaction is still open. The original error matters more than a
  /// rollback failure, and SQLite may already have rolled back on its own (e.g. after
  /// SQLITE_FULL), so a failure here is ignored.
  private func rollbackQuietly() {
    if !self.isAutocommit {
      _ = try? self.run("ROLLBACK")
    }
  }
}
