/// Decides which of a user's warm nodes may be claimed, and in which order to try them.
///
/// A warm node is idle, so load and workspaces do not matter. It must still be warm, not
/// known to be unhealthy (a claim would hand out a broken machine) and at least the
/// requested size. Order: exact size match first, then location match, then the node that
/// has been warm longest (it is the next to expire), then node id; a node with no
/// `warmSinceMs` counts as warm since now and goes after those that have one.
public struct WarmRanking: Sendable {
  let preferences: Preferences

  public init(request: SelectionRequest) {
    self.preferences = Preferences(request)
  }

  /// Every reason `node` cannot be claimed; empty when it can. Tenancy is checked by
  /// ``NodeSelection``, which never lets another user's node get this far.
  public func rejections(of node: Node) -> [Rejection] {
    var reasons: [Rejection] = []

    if node.state != .warm {
      reasons.append(.notWarm(node.state))
    }
    if node.health == .unhealthy {
      reasons.append(.unhealthy)
    }
    if let size = self.preferences.sizeRejection(node) {
      reasons.append(size)
    }
    return reasons
  }

  /// Orders nodes best claim first, without filtering them.
  public func ranked(_ nodes: [Node]) -> [Node] {
    self.rankedIndices(nodes).map { nodes[$0] }
  }

  /// Positions in `nodes`, best claim first; each node's keys are computed once.
  func rankedIndices(_ nodes: [Node]) -> [Int] {
    let keyed = nodes.enumerated().map { index, node in
      Key(
        index: index,
        id: node.id,
        sizeMatch: self.preferences.matchesSize(node),
        locationMatch: self.preferences.matchesLocation(node),
        warmSinceMs: node.warmSinceMs ?? Int64.max
      )
    }
    return keyed.sorted(by: Self.ranksBefore).map(\.index)
  }

  private struct Key {
    let index: Int
    let id: String
    let sizeMatch: Bool
    let locationMatch: Bool
    let warmSinceMs: Int64
  }

  private static func ranksBefore(_ lhs: Key, _ rhs: Key) -> Bool {
    if lhs.sizeMatch != rhs.sizeMatch {
      return lhs.sizeMatch
    }
    if lhs.locationMatch != rhs.locationMatch {
      return lhs.locationMatch
    }
    if lhs.warmSinceMs != rhs.warmSinceMs {
      return lhs.warmSinceMs < rhs.warmSinceMs
    }
    return lhs.id < rhs.id
  }
}
