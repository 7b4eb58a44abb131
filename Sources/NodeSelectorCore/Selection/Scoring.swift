/// Scores and orders the nodes that passed the ``CapacityFilter``.
public struct Scoring: Sendable {
  public let cpuWeight: Double
  public let memoryWeight: Double

  public init(policy: SelectionPolicy) {
    self.cpuWeight = policy.cpuWeight
    self.memoryWeight = policy.memoryWeight
  }

  /// The load score, lower is better: `cpuWeight x CPU% + memoryWeight x memory%`.
  ///
  /// With the standard weights, CPU 20% and memory 40% score 0.4 x 20 + 0.6 x 40 = 32.
  /// A missing figure counts as 100%, the worst it could be, so a node that hides a figure
  /// never beats one that reports an equal or lower value: memory 40% alone scores
  /// 0.4 x 100 + 0.6 x 40 = 64. With no figure at all the score is nil and the node ranks
  /// after every node with metrics. Inputs are percents as ``LoadFigures`` makes them
  /// (finite, non-negative), so the result is never NaN.
  public func score(cpuPercent: Double?, memoryPercent: Double?) -> Double? {
    self.score(LoadFigures(cpuPercent: cpuPercent, memoryPercent: memoryPercent))
  }

  func score(_ figures: LoadFigures) -> Double? {
    guard !figures.isEmpty else {
      return nil
    }
    let cpu = figures.cpuPercent ?? 100
    let memory = figures.memoryPercent ?? 100
    return self.cpuWeight * cpu + self.memoryWeight * memory
  }

  /// Orders nodes best first, without filtering them.
  ///
  /// Nodes with metrics come first; then location match, then size match (exact type name),
  /// then score ascending, then node id, so equal nodes always come out in the same order.
  public func ranked(_ nodes: [Node], for request: SelectionRequest) -> [Node] {
    let preferences = Preferences(request)
    let candidates = nodes.enumerated().map { index, node in
      self.candidate(node, figures: LoadFigures(node), preferences: preferences, index: index)
    }
    return Self.ranked(candidates).map(\.node)
  }

  /// One node with its sort keys, built once per node.
  struct Candidate {
    let node: Node
    let score: Double?
    let locationMatch: Bool
    let sizeMatch: Bool
    /// Where the node's ``Consideration`` sits in the explanation being built.
    let index: Int
  }

  func candidate(
    _ node: Node, figures: LoadFigures, preferences: Preferences, index: Int
  ) -> Candidate {
    Candidate(
      node: node,
      score: self.score(figures),
      locationMatch: preferences.matchesLocation(node),
      sizeMatch: preferences.matchesSize(node),
      index: index
    )
  }

  /// Sorts candidates best first; O(n log n) comparisons on precomputed keys.
  static func ranked(_ candidates: [Candidate]) -> [Candidate] {
    candidates.sorted(by: Self.ranksBefore)
  }

  static func ranksBefore(_ lhs: Candidate, _ rhs: Candidate) -> Bool {
    if (lhs.score == nil) != (rhs.score == nil) {
      return lhs.score != nil
    }
    if lhs.locationMatch != rhs.locationMatch {
      return lhs.locationMatch
    }
    if lhs.sizeMatch != rhs.sizeMatch {
      return lhs.sizeMatch
    }
    if let left = lhs.score, let right = rhs.score, left != right {
      return left < right
    }
    return lhs.node.id < rhs.node.id
  }
}
