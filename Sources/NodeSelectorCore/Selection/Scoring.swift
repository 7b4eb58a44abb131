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
    var resolver = NodeTraits.Resolver(Preferences(request))
    let candidates = nodes.indices.map { position in
      let traits = resolver.traits(
        type: nodes[position].serverType, location: nodes[position].location)
      let figures = LoadFigures(nodes[position].metrics, vcpus: traits.vcpus)
      return self.candidate(figures: figures, traits: traits, position: position, slot: position)
    }
    var order = BestFirst(candidates) { Self.ranksBefore($0, $1, in: nodes) }
    return order.all().map { nodes[$0.position] }
  }

  /// One node's sort keys, built once per node: a few words, so ranking never moves whole
  /// ``Node`` values.
  struct Candidate {
    let score: Double?
    let locationMatch: Bool
    let sizeMatch: Bool
    /// Where the node sits in the listed array.
    let position: Int
    /// Where the node's ``Consideration`` sits in the explanation being built.
    let slot: Int
  }

  func candidate(figures: LoadFigures, traits: NodeTraits, position: Int, slot: Int) -> Candidate {
    Candidate(
      score: self.score(figures),
      locationMatch: traits.locationMatch,
      sizeMatch: traits.sizeMatch,
      position: position,
      slot: slot
    )
  }

  /// A strict total order: ties on every key fall to node id, then to listing position.
  static func ranksBefore(_ lhs: Candidate, _ rhs: Candidate, in nodes: [Node]) -> Bool {
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
    let left = nodes[lhs.position].id
    let right = nodes[rhs.position].id
    return left != right ? left < right : lhs.position < rhs.position
  }
}
