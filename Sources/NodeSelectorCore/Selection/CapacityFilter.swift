/// Decides which running nodes have room for one more task.
///
/// A node passes when it is running, not known to be unhealthy (unknown health is allowed:
/// a stale report is not a failure), below the workspace limit, below the CPU and memory
/// thresholds, and at least the requested size. A missing figure is not compared: a node
/// without metrics stays eligible and ``Scoring`` ranks it last. Tenancy is not checked
/// here; ``NodeSelection`` drops other users' nodes before anything else sees them.
public struct CapacityFilter: Sendable {
  public let policy: SelectionPolicy
  let preferences: Preferences

  public init(policy: SelectionPolicy, request: SelectionRequest) {
    self.policy = policy
    self.preferences = Preferences(request)
  }

  /// Every reason `node` cannot take the task; empty when it can.
  public func rejections(of node: Node) -> [Rejection] {
    self.rejections(of: node, figures: LoadFigures(node))
  }

  /// As ``rejections(of:)``, with the node's figures computed by the caller once.
  func rejections(of node: Node, figures: LoadFigures) -> [Rejection] {
    var reasons: [Rejection] = []

    if node.state != .running {
      reasons.append(.notRunning(node.state))
    }
    if node.health == .unhealthy {
      reasons.append(.unhealthy)
    }
    if node.workspaces >= self.policy.workspaceLimit {
      reasons.append(.workspacesFull(used: node.workspaces, limit: self.policy.workspaceLimit))
    }
    if let cpu = figures.cpuPercent, cpu >= self.policy.cpuThresholdPercent {
      reasons.append(.cpuAtThreshold(percent: cpu, threshold: self.policy.cpuThresholdPercent))
    }
    if let memory = figures.memoryPercent, memory >= self.policy.memoryThresholdPercent {
      let threshold = self.policy.memoryThresholdPercent
      reasons.append(.memoryAtThreshold(percent: memory, threshold: threshold))
    }
    if let size = self.preferences.sizeRejection(node) {
      reasons.append(size)
    }
    return reasons
  }
}
