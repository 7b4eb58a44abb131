import NodeSelectorCore

/// One task's claim on a node. A task id is assigned at most once, ever: it is the
/// idempotency key, so a released assignment still answers for its task.
public struct Assignment: Sendable, Equatable {
  public var taskID: String
  public var nodeID: String
  public var userID: String
  /// Unix milliseconds.
  public var assignedAtMs: Int64
  /// Unix milliseconds; nil while the task still holds the node.
  public var releasedAtMs: Int64?

  public init(
    taskID: String, nodeID: String, userID: String, assignedAtMs: Int64,
    releasedAtMs: Int64? = nil
  ) {
    self.taskID = taskID
    self.nodeID = nodeID
    self.userID = userID
    self.assignedAtMs = assignedAtMs
    self.releasedAtMs = releasedAtMs
  }
}

/// What ``NodeStore/reserveProvisioning(node:taskID:nodeLimit:nowMs:)`` decided.
public enum Reservation: Sendable, Equatable {
  /// The `creating` row and the task's assignment were written.
  case reserved(Node)
  /// The task already has an assignment (a retried request): nothing was written. It may
  /// name another user's node if task ids collide across users; the caller must compare
  /// ``Assignment/userID`` before handing the node out.
  case existing(Assignment)
  /// The user already has `count` live nodes, at or over `limit`: nothing was written.
  case limitReached(count: Int, limit: Int)
}

/// What ``NodeStore/release(nodeID:taskID:nowMs:)`` did.
public enum ReleaseOutcome: Sendable, Equatable {
  /// The assignment was closed; the node as it is now (warm if that was its last task).
  case released(Node)
  /// No open assignment of that task on that node (never assigned, or already released).
  case notAssigned
  case nodeNotFound
}

/// Fields a ``NodeStore/transition(nodeID:from:to:reason:nowMs:update:)`` also writes, in
/// the same statement. nil leaves a field as it is; there is no way to clear one.
public struct NodeUpdate: Sendable, Equatable {
  public var cloudServerID: Int64?
  public var address: String?
  public var agentPort: Int?
  /// Set when a create falls back to another location or size.
  public var location: String?
  public var serverType: String?
  public var failureReason: String?
  public var health: NodeHealth?

  public init(
    cloudServerID: Int64? = nil,
    address: String? = nil,
    agentPort: Int? = nil,
    location: String? = nil,
    serverType: String? = nil,
    failureReason: String? = nil,
    health: NodeHealth? = nil
  ) {
    self.cloudServerID = cloudServerID
    self.address = address
    self.agentPort = agentPort
    self.location = location
    self.serverType = serverType
    self.failureReason = failureReason
    self.health = health
  }
}

/// One audited state change, written in the same transaction as the change itself.
public struct NodeEvent: Sendable, Equatable {
  public var nodeID: String
  /// Unix milliseconds.
  public var atMs: Int64
  /// nil when the row was created.
  public var fromState: NodeState?
  public var toState: NodeState
  public var reason: String?
}
