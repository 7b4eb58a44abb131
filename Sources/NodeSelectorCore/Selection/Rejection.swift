/// Why a node was passed over. A normal outcome, not an error.
///
/// Filters return every reason a node fails, not only the first, so an explanation can say
/// "unhealthy" and "10/10 workspaces" for the same node. Percent figures are the normalised
/// ones the threshold was compared with (a load average already divided by vCPUs).
public enum Rejection: Sendable, Equatable, Hashable, CustomStringConvertible {
  /// The node is not in state `running` (capacity stage).
  case notRunning(NodeState)
  /// The node is not in state `warm` (warm stage, usually seen on the fresh re-read).
  case notWarm(NodeState)
  /// The node's last health report said unhealthy. Unknown health is allowed.
  case unhealthy
  /// Open assignments reached the workspace limit.
  case workspacesFull(used: Int, limit: Int)
  /// CPU use at or over the threshold.
  case cpuAtThreshold(percent: Double, threshold: Double)
  /// Memory use at or over the threshold.
  case memoryAtThreshold(percent: Double, threshold: Double)
  /// The node's server type does not cover the requested one in vCPUs and memory.
  case tooSmall(size: String, required: String)
  /// A size was requested and this type name is not in the catalog, so the size minimum
  /// cannot be checked: the node's own type, or the requested one.
  case unknownSize(String)
  /// The row vanished between the list and the re-read.
  case gone
  /// The row now belongs to another user (seen on the re-read).
  case ownerChanged
  /// Another request claimed the warm node first.
  case warmClaimLost
  /// Another request took the last room on the node first.
  case assignmentLost

  public var description: String {
    switch self {
    case .notRunning(let state):
      return "state \(state.rawValue), not running"
    case .notWarm(let state):
      return "state \(state.rawValue), not warm"
    case .unhealthy:
      return "unhealthy"
    case .workspacesFull(let used, let limit):
      return "\(used)/\(limit) workspaces"
    case .cpuAtThreshold(let percent, let threshold):
      return "cpu \(Figure.percent(percent))% >= \(Figure.percent(threshold))%"
    case .memoryAtThreshold(let percent, let threshold):
      return "memory \(Figure.percent(percent))% >= \(Figure.percent(threshold))%"
    case .tooSmall(let size, let required):
      return "size \(size) < \(required)"
    case .unknownSize(let name):
      return "size \(name) unknown"
    case .gone:
      return "gone"
    case .ownerChanged:
      return "owner changed"
    case .warmClaimLost:
      return "warm claim lost"
    case .assignmentLost:
      return "assignment lost"
    }
  }

  /// The reason as it reads after a count in a summary: "2 at 10/10 workspaces".
  var summaryPhrase: String {
    if case .workspacesFull = self {
      return "at \(self.description)"
    }
    return self.description
  }
}
