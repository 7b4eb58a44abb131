/// One connection's prepared statements, keyed by SQL text, kept for reuse.
///
/// Owned by a ``Connection`` and used under the same rule (one thread at a time). A cached
/// statement is checked out while it runs, so two uses of one text at once (a query inside
/// another's decode) each get their own: the second prepares a statement that is not kept.
/// Bounded: the store's SQL texts are a small fixed set (the variable parts are placeholder
/// counts of at most seven states), so past ``capacity`` a statement is simply finalized
/// after use instead of evicting another.
struct StatementCache {
  /// Far above the store's distinct statements (about 40), so nothing hot is ever refused.
  static let capacity = 128

  private var statements: [String: Statement] = [:]

  var count: Int {
    self.statements.count
  }

  /// The cached statement for `sql`, marked checked out; nil when there is none or it is
  /// checked out already. One dictionary look-up: hashing the SQL text is most of the cost.
  mutating func checkOut(_ sql: String) -> Statement? {
    guard let statement = self.statements[sql], !statement.isCheckedOut else {
      return nil
    }
    statement.isCheckedOut = true
    return statement
  }

  /// Returns a reset statement: a cached one is simply marked free again (no look-up); a
  /// new one is kept unless the cache is full or already holds one for the same text, in
  /// which case it is dropped (finalized).
  mutating func checkIn(_ statement: Statement) {
    if statement.isCheckedOut {
      statement.isCheckedOut = false
      return
    }
    guard self.statements.count < Self.capacity, self.statements[statement.sql] == nil else {
      return
    }
    self.statements[statement.sql] = statement
  }

  /// Finalizes every cached statement (each ``Statement`` finalizes in `deinit`).
  mutating func removeAll() {
    self.statements.removeAll()
  }
}
