import NodeSelectorCore

/// What the caller of ``Broker/select(_:)`` asks beyond the core's request.
public struct SelectCommand: Sendable {
  public var request: SelectionRequest
  /// Provisioning costs money, so the caller opts in.
  public var allowProvision: Bool
  /// Return a provisioned node only once it is running (bounded by `shouldStop`).
  public var waitUntilReady: Bool

  public init(request: SelectionRequest, allowProvision: Bool, waitUntilReady: Bool) {
    self.request = request
    self.allowProvision = allowProvision
    self.waitUntilReady = waitUntilReady
  }
}

/// How a node was found, for the response and the logs.
public enum SelectionMethod: String, Sendable, Equatable {
  case warmClaim = "warm_claim"
  case existingCapacity = "existing_capacity"
  case provisioned
  case existingAssignment = "existing_assignment"
}

public struct SelectResult: Sendable, Equatable {
  public var node: Node
  public var method: SelectionMethod
  public var explanation: Explanation
  public var taskID: String?
}
