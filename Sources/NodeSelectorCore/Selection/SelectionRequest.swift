/// What a caller asks for: a node for one user's task.
public struct SelectionRequest: Sendable, Equatable {
  public var userID: String
  /// The idempotency key. Without it the selection is advice only: no warm node is claimed
  /// and nothing is assigned, the least-loaded node with room is named.
  public var taskID: String?
  /// Server type name. Also a minimum: a smaller node is never chosen.
  public var preferredSize: String?
  public var preferredLocation: String?

  public init(
    userID: String,
    taskID: String? = nil,
    preferredSize: String? = nil,
    preferredLocation: String? = nil
  ) {
    self.userID = userID
    self.taskID = taskID
    self.preferredSize = preferredSize
    self.preferredLocation = preferredLocation
  }
}
