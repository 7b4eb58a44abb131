/// A value SQLite can store, as the statement layer binds and reads it.
enum SQLiteValue: Sendable, Equatable {
  case integer(Int64)
  case real(Double)
  case text(String)
  case null
}

/// A Swift value that can be bound to a `?` placeholder.
///
/// Optionals of these types bind as SQL NULL when nil (see ``Statement/bind(_:)``).
protocol SQLiteBindable {
  var sqliteValue: SQLiteValue { get }
}

extension Int64: SQLiteBindable {
  var sqliteValue: SQLiteValue { .integer(self) }
}

extension Int: SQLiteBindable {
  var sqliteValue: SQLiteValue { .integer(Int64(self)) }
}

extension Double: SQLiteBindable {
  var sqliteValue: SQLiteValue { .real(self) }
}

extension String: SQLiteBindable {
  var sqliteValue: SQLiteValue { .text(self) }
}

/// Booleans are stored as 0 or 1, SQLite's own convention.
extension Bool: SQLiteBindable {
  var sqliteValue: SQLiteValue { .integer(self ? 1 : 0) }
}
