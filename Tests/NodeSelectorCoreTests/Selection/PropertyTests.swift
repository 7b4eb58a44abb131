import Testing

@testable import NodeSelectorCore

/// Seeded random fleets checked against an oracle written from the design, not from the
/// production code: the choice passes every filter and no eligible node ranks ahead of it.
@Suite("Selection properties over random fleets")
struct PropertyTests {
  static let types = ["cx22", "cx32", "cx42", "cpx21", "ccx13", "mystery"]
  static let locations = ["fsn1", "nbg1", "hel1"]
  static let seeds: [UInt64] = Array(1...400)

  @Test("the choice passes every filter and no eligible node ranks ahead of it", arguments: seeds)
  func choiceIsEligibleAndBest(seed: UInt64) throws {
    var random = SplitMix64(seed: seed)
    let fleet = Self.fleet(&random)
    let request = SelectionRequest.task(
      random.chance(70) ? "t\(seed)" : nil,
      size: random.chance(50) ? Self.types.randomElement(using: &random) : nil,
      location: random.chance(50) ? Self.locations.randomElement(using: &random) : nil
    )
    let inventory = FakeInventory(fleet)
    inventory.listsEverything = random.chance(30)
    inventory.assignLoses = Set(fleet.filter { _ in random.chance(15) }.map(\.id))

    let outcome = try NodeSelection(inventory: inventory).select(request, nowMs: fixedNow)

    let oracle = Oracle(request: request)
    let eligible = fleet.filter(oracle.passes).sorted(by: oracle.ranksBefore)
    let winners =
      request.taskID == nil
      ? eligible : eligible.filter { !inventory.assignLoses.contains($0.id) }

    switch outcome {
    case .claimedWarm:
      Issue.record("seed \(seed): fleets hold no warm nodes")
    case .provision:
      #expect(winners.isEmpty, "seed \(seed): \(winners.map(\.id)) fit")
    case .existingCapacity(let node, _):
      let listed = try #require(fleet.first { $0.id == node.id })
      #expect(oracle.passes(listed), "seed \(seed): \(node.id) fails a filter")
      #expect(winners.first?.id == node.id, "seed \(seed)")
      let ahead = eligible.prefix { $0.id != node.id }
      #expect(
        ahead.allSatisfy { inventory.assignLoses.contains($0.id) } || request.taskID == nil,
        "seed \(seed): an eligible node ranks ahead of \(node.id)"
      )
    }
  }

  /// 0 to 40 nodes of two users in every running-node shape, bad figures included.
  static func fleet(_ random: inout SplitMix64) -> [Node] {
    let count = Int.random(in: 0...40, using: &random)
    return (0..<count).map { index in
      Node.make(
        id: "n\(index)",
        user: random.chance(80) ? "u1" : "u2",
        state: random.chance(85) ? .running : .booting,
        type: Self.types.randomElement(using: &random) ?? "cx32",
        location: Self.locations.randomElement(using: &random) ?? "fsn1",
        health: [.healthy, .unknown, .unhealthy].randomElement(using: &random) ?? .healthy,
        cpu: random.chance(40) ? Self.figure(&random) : nil,
        load: random.chance(50) ? Double.random(in: 0...6, using: &random) : nil,
        mem: random.chance(80) ? Self.figure(&random) : nil,
        workspaces: Int.random(in: 0...11, using: &random)
      )
    }
  }

  /// Mostly plausible percents, sometimes a value that must count as missing.
  static func figure(_ random: inout SplitMix64) -> Double {
    if random.chance(10) {
      return [.nan, .infinity, -1, 130].randomElement(using: &random) ?? .nan
    }
    return Double(Int.random(in: 0...100, using: &random))
  }
}

/// The selection rules restated plainly, for the standard policy.
private struct Oracle {
  let request: SelectionRequest

  func cpu(_ node: Node) -> Double? {
    if let reported = node.metrics.cpuPercent, reported.isFinite, (0...100).contains(reported) {
      return reported
    }
    let vcpus = ServerType.catalog[node.serverType]?.vcpus
    guard let load = node.metrics.loadAverage1m, load.isFinite, load >= 0, let vcpus else {
      return nil
    }
    return load / Double(vcpus) * 100
  }

  func memory(_ node: Node) -> Double? {
    guard let memory = node.metrics.memoryPercent, (0...100).contains(memory) else {
      return nil
    }
    return memory
  }

  func score(_ node: Node) -> Double? {
    let cpu = self.cpu(node)
    let memory = self.memory(node)
    if cpu == nil && memory == nil {
      return nil
    }
    return 0.4 * (cpu ?? 100) + 0.6 * (memory ?? 100)
  }

  func passes(_ node: Node) -> Bool {
    guard node.userID == self.request.userID, node.state == .running,
      node.health != .unhealthy, node.workspaces < 10
    else {
      return false
    }
    if let cpu = self.cpu(node), cpu >= 80 {
      return false
    }
    if let memory = self.memory(node), memory >= 85 {
      return false
    }
    guard let size = self.request.preferredSize, size != node.serverType else {
      return true
    }
    guard let own = ServerType.catalog[node.serverType], let wanted = ServerType.catalog[size]
    else {
      return false
    }
    return own.vcpus >= wanted.vcpus && own.memoryGiB >= wanted.memoryGiB
  }

  func ranksBefore(_ lhs: Node, _ rhs: Node) -> Bool {
    let left = self.key(lhs)
    let right = self.key(rhs)
    if left.metrics != right.metrics {
      return left.metrics < right.metrics
    }
    if left.location != right.location {
      return left.location < right.location
    }
    if left.size != right.size {
      return left.size < right.size
    }
    if left.score != right.score {
      return left.score < right.score
    }
    return lhs.id < rhs.id
  }

  /// 0 sorts first: having metrics, a location match, a size match, a low score.
  private func key(_ node: Node) -> (metrics: Int, location: Int, size: Int, score: Double) {
    let score = self.score(node)
    return (
      score == nil ? 1 : 0,
      node.location == self.request.preferredLocation ? 0 : 1,
      node.serverType == self.request.preferredSize ? 0 : 1,
      score ?? 0
    )
  }
}
