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
    let traits = NodeTraits(node, preferences: self.preferences)
    return self.rejections(
      state: node.state, health: node.health, workspaces: node.workspaces,
      figures: LoadFigures(node.metrics, vcpus: traits.vcpus), traits: traits)
  }

  /// As ``rejections(of:)``, from the fields it reads, with the node's figures and names
  /// resolved by the caller once (taking fields spares copying the whole ``Node``).
  func rejections(
    state: NodeState, health: NodeHealth, workspaces: Int, figures: LoadFigures,
    traits: NodeTraits
  ) -> [Rejection] {
    var reasons: [Rejection] = []

    if state != .running {
      reasons.append(.notRunning(state))
    }
    if health == .unhealthy {
      reasons.append(.unhealthy)
    }
    if workspaces >= self.policy.workspaceLimit {
      reasons.append(.workspacesFull(used: workspaces, limit: self.policy.workspaceLimit))
    }
    if let cpu = figures.cpuPercent, cpu >= self.policy.cpuThresholdPercent {
      reasons.append(.cpuAtThreshold(percent: cpu, threshold: self.policy.cpuThresholdPercent))
    }
    if let memory = figures.memoryPercent, memory >= self.policy.memoryThresholdPercent {
      let threshold = self.policy.memoryThresholdPercent
      reasons.append(.memoryAtThreshold(percent: memory, threshold: threshold))
    }
    guard !reasons.isEmpty else {
      return traits.sizeRejections
    }
    reasons.append(contentsOf: traits.sizeRejections)
    return reasons
  }
}
