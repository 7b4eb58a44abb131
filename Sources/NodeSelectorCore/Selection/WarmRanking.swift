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
    self.rejections(
      state: node.state, health: node.health,
      traits: NodeTraits(node, preferences: self.preferences))
  }

  /// As ``rejections(of:)``, from the fields it reads, with the node's names resolved by
  /// the caller (taking fields spares copying the whole ``Node``).
  func rejections(state: NodeState, health: NodeHealth, traits: NodeTraits) -> [Rejection] {
    var reasons: [Rejection] = []

    if state != .warm {
      reasons.append(.notWarm(state))
    }
    if health == .unhealthy {
      reasons.append(.unhealthy)
    }
    guard !reasons.isEmpty else {
      return traits.sizeRejections
    }
    reasons.append(contentsOf: traits.sizeRejections)
    return reasons
  }

  /// Orders nodes best claim first, without filtering them.
  public func ranked(_ nodes: [Node]) -> [Node] {
    let keys = nodes.indices.map { position in
      self.key(
        warmSinceMs: nodes[position].warmSinceMs,
        traits: NodeTraits(nodes[position], preferences: self.preferences),
        position: position, slot: position)
    }
    var order = BestFirst(keys) { Self.ranksBefore($0, $1, in: nodes) }
    return order.all().map { nodes[$0.position] }
  }

  /// One node's sort keys: a few words, so ranking never moves whole ``Node`` values.
  struct Key {
    /// Where the node sits in the listed array.
    let position: Int
    /// Where the node's ``Consideration`` sits in the explanation being built.
    let slot: Int
    let sizeMatch: Bool
    let locationMatch: Bool
    let warmSinceMs: Int64
  }

  func key(warmSinceMs: Int64?, traits: NodeTraits, position: Int, slot: Int) -> Key {
    Key(
      position: position,
      slot: slot,
      sizeMatch: traits.sizeMatch,
      locationMatch: traits.locationMatch,
      warmSinceMs: warmSinceMs ?? Int64.max
    )
  }

  /// A strict total order: ties on every key fall to node id, then to listing position.
  static func ranksBefore(_ lhs: Key, _ rhs: Key, in nodes: [Node]) -> Bool {
    if lhs.sizeMatch != rhs.sizeMatch {
      return lhs.sizeMatch
    }
    if lhs.locationMatch != rhs.locationMatch {
      return lhs.locationMatch
    }
    if lhs.warmSinceMs != rhs.warmSinceMs {
      return lhs.warmSinceMs < rhs.warmSinceMs
    }
    let left = nodes[lhs.position].id
    let right = nodes[rhs.position].id
    return left != right ? left < right : lhs.position < rhs.position
  }
}
