/// Where a node is in its life.
///
/// ```
/// creating -> booting -> running <-> warm
///     |          |          |         |
///     +----------+----------+---------+--> destroying -> stopped
///     +----------+----------+---------+-----------------> failed
/// ```
/// A running or warm node fails when its cloud server vanished (the reconciler saw it
/// gone); an adopted one may also be stopped directly.
/// `stopped` and `failed` are terminal: such a node holds no cloud server and no longer counts
/// toward the user's node limit. The raw value is what the store writes.
public enum NodeState: String, CaseIterable, Sendable, Codable {
  case creating
  case booting
  case running
  case warm
  case destroying
  case stopped
  case failed

  /// True for `stopped` and `failed`.
  public var isTerminal: Bool {
    self == .stopped || self == .failed
  }

  /// True while a cloud server may exist for the node and the row counts toward the limit.
  public var countsTowardLimit: Bool {
    !self.isTerminal
  }

  /// States the provisioning loop is still working on; a crash can strand a row here.
  public var isTransient: Bool {
    self == .creating || self == .booting || self == .destroying
  }

  /// Whether the lifecycle allows moving from this state to `next`.
  public func canMove(to next: NodeState) -> Bool {
    switch (self, next) {
    case (.creating, .booting), (.creating, .failed), (.creating, .destroying):
      return true
    case (.booting, .running), (.booting, .failed), (.booting, .destroying):
      return true
    case (.running, .warm), (.running, .destroying), (.running, .stopped), (.running, .failed):
      return true
    case (.warm, .running), (.warm, .destroying), (.warm, .stopped), (.warm, .failed):
      return true
    case (.destroying, .stopped), (.destroying, .failed):
      return true
    default:
      return false
    }
  }
}

/// What a node's agent (or the orchestrator) last said about its health.
public enum NodeHealth: String, Sendable, Codable {
  case unknown
  case healthy
  case unhealthy
}
