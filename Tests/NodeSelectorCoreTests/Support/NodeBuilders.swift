@testable import NodeSelectorCore

/// One-line builders so that table rows stay on one line.
extension Node {
  /// A node of user "u1", healthy and running in fsn1 as a cx32 (4 vCPUs), unless told.
  static func make(
    id: String,
    user: String = "u1",
    state: NodeState = .running,
    type: String = "cx32",
    location: String = "fsn1",
    health: NodeHealth = .healthy,
    cpu: Double? = nil,
    load: Double? = nil,
    mem: Double? = nil,
    workspaces: Int = 0,
    warmSinceMs: Int64? = nil
  ) -> Node {
    Node(
      id: id,
      userID: user,
      state: state,
      serverType: type,
      location: location,
      provisioned: true,
      health: health,
      metrics: NodeMetrics(cpuPercent: cpu, loadAverage1m: load, memoryPercent: mem),
      workspaces: workspaces,
      createdAtMs: 1_000,
      warmSinceMs: warmSinceMs
    )
  }

  /// An idle warm node, warm since `since` (Unix ms).
  static func warm(
    id: String,
    user: String = "u1",
    type: String = "cx32",
    location: String = "fsn1",
    health: NodeHealth = .healthy,
    since: Int64? = 5_000
  ) -> Node {
    .make(
      id: id, user: user, state: .warm, type: type, location: location, health: health,
      warmSinceMs: since
    )
  }
}

extension SelectionRequest {
  /// A request of user "u1" for task "t1" unless told.
  static func task(
    _ taskID: String? = "t1",
    user: String = "u1",
    size: String? = nil,
    location: String? = nil
  ) -> SelectionRequest {
    SelectionRequest(
      userID: user, taskID: taskID, preferredSize: size, preferredLocation: location
    )
  }
}

extension SelectionOutcome {
  /// "warm", "capacity" or "provision", to compare outcomes in one expectation.
  var kind: String {
    switch self {
    case .claimedWarm:
      return "warm"
    case .existingCapacity:
      return "capacity"
    case .provision:
      return "provision"
    }
  }
}

extension Explanation {
  /// The consideration of `nodeID` in `stage`, nil when the node was not considered there.
  func consideration(
    _ nodeID: String, stage: Consideration.Stage = .capacity
  ) -> Consideration? {
    self.considered.first { $0.nodeID == nodeID && $0.stage == stage }
  }
}

let fixedNow: Int64 = 1_700_000_000_000
