/// The store as the selection core sees it. Implementations must make each claim or
/// assignment one atomic conditional write: when two callers race for the same room, exactly
/// one call returns true.
public protocol NodeInventory {
  /// The user's nodes in state `warm`, in any order.
  func warmNodes(userID: String) throws -> [Node]

  /// The user's nodes in state `running` (not warm), with `workspaces` filled in.
  func runningNodes(userID: String) throws -> [Node]

  /// A fresh read of one node, nil when gone.
  func node(id: String) throws -> Node?

  /// Moves a warm node of `userID` to running and assigns `taskID`, only if it is still
  /// warm and still that user's. Returns false when the claim lost.
  func claimWarm(nodeID: String, userID: String, taskID: String, nowMs: Int64) throws -> Bool

  /// Assigns `taskID` to a running node of `userID`, only if it is still running, still
  /// that user's and has fewer than `workspaceLimit` open assignments. False: lost the room.
  func assign(
    nodeID: String, userID: String, taskID: String, workspaceLimit: Int, nowMs: Int64
  ) throws -> Bool
}
