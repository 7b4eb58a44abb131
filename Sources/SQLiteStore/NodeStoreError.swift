import NodeSelectorCore

/// A store failure that is not a SQLite failure: the caller asked for something the data
/// or the lifecycle does not allow. SQLite failures are ``SQLiteError``.
public struct NodeStoreError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong; a struct over a private enum so new codes break no caller's switch.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    private enum Wrapped: String, Hashable, Sendable {
      case forbiddenTransition
      case nodeExists
      case schemaTooNew
      case corruptRow
    }

    private let wrapped: Wrapped

    private init(_ wrapped: Wrapped) {
      self.wrapped = wrapped
    }

    /// ``NodeState/canMove(to:)`` forbids a move the caller asked for.
    public static let forbiddenTransition = Code(.forbiddenTransition)
    /// A node with that id is already stored.
    public static let nodeExists = Code(.nodeExists)
    /// The file was migrated by a newer build; this one must not write to it.
    public static let schemaTooNew = Code(.schemaTooNew)
    /// A stored value this build cannot read (an unknown state or health name).
    public static let corruptRow = Code(.corruptRow)

    public var description: String {
      self.wrapped.rawValue
    }
  }

  public let code: Code
  public let message: String

  public init(code: Code, message: String) {
    self.code = code
    self.message = message
  }

  public var description: String {
    "\(self.code): \"\(self.message)\""
  }

  static func forbiddenTransition(from: NodeState, to: NodeState) -> NodeStoreError {
    NodeStoreError(
      code: .forbiddenTransition,
      message: "a node may not move from \(from.rawValue) to \(to.rawValue)")
  }

  static func nodeExists(id: String) -> NodeStoreError {
    NodeStoreError(code: .nodeExists, message: "node \(id) is already registered")
  }

  static func schemaTooNew(found: Int, supported: Int) -> NodeStoreError {
    NodeStoreError(
      code: .schemaTooNew,
      message: "database schema version \(found) is newer than this build's \(supported)")
  }

  static func corruptRow(_ detail: String) -> NodeStoreError {
    NodeStoreError(code: .corruptRow, message: detail)
  }
}
