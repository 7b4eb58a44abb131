/// What a selection decided.
public enum SelectionOutcome: Sendable, Equatable {
  /// A warm node was claimed for the task; the node is as it is after the claim
  /// (running, one more workspace, no longer warm).
  case claimedWarm(Node, Explanation)
  /// A running node with room: assigned the task when the request had a task id (the node
  /// then counts the new workspace), otherwise only named as advice.
  case existingCapacity(Node, Explanation)
  /// No node of the user fits; the caller should provision one (subject to the node limit,
  /// which provisioning enforces in the same transaction that inserts the new row).
  case provision(Explanation)

  /// The chosen node, nil for ``provision(_:)``.
  public var node: Node? {
    switch self {
    case .claimedWarm(let node, _), .existingCapacity(let node, _):
      return node
    case .provision:
      return nil
    }
  }

  public var explanation: Explanation {
    switch self {
    case .claimedWarm(_, let explanation), .existingCapacity(_, let explanation),
      .provision(let explanation):
      return explanation
    }
  }
}
