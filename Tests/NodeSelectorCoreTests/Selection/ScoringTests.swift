import Testing

@testable import NodeSelectorCore

@Suite("Scoring")
struct ScoringTests {
  let scoring = Scoring(policy: .standard)

  static let scores: [(Double?, Double?, Double?)] = [
    (0, 0, 0),  // 0.4 x 0 + 0.6 x 0 = 0
    (20, 40, 32),  // 0.4 x 20 + 0.6 x 40 = 8 + 24 = 32
    (25, 35, 31),  // 0.4 x 25 + 0.6 x 35 = 10 + 21 = 31
    (50, 10, 26),  // 0.4 x 50 + 0.6 x 10 = 20 + 6 = 26
    (10, 50, 34),  // 0.4 x 10 + 0.6 x 50 = 4 + 30 = 34
    (79, 84, 82),  // 0.4 x 79 + 0.6 x 84 = 31.6 + 50.4 = 82
    (100, 100, 100),  // 0.4 x 100 + 0.6 x 100 = 100
    (nil, 40, 64),  // cpu missing counts 100: 0.4 x 100 + 0.6 x 40 = 40 + 24 = 64
    (20, nil, 68),  // memory missing counts 100: 0.4 x 20 + 0.6 x 100 = 8 + 60 = 68
    (nil, nil, nil),  // no metrics at all: no score, ranks last
  ]

  @Test("load score is 0.4 x cpu + 0.6 x memory", arguments: scores)
  func loadScoreWeighsCPUAndMemory(cpu: Double?, memory: Double?, expected: Double?) throws {
    let score = self.scoring.score(cpuPercent: cpu, memoryPercent: memory)
    guard let expected else {
      #expect(score == nil)
      return
    }
    let actual = try #require(score)
    #expect(abs(actual - expected) < 1e-9)
  }

  @Test("custom weights change the score")
  func customWeightsChangeTheScore() throws {
    let policy = try SelectionPolicy(cpuWeight: 0.75, memoryWeight: 0.25)
    // 0.75 x 40 + 0.25 x 80 = 30 + 20 = 50
    #expect(Scoring(policy: policy).score(cpuPercent: 40, memoryPercent: 80) == 50)
  }

  /// Three nodes as (cpu, memory) pairs and the id that wins.
  static let winners: [([(Double?, Double?)], String)] = [
    // n0: 0.4x20+0.6x40 = 32; n1: 0.4x50+0.6x10 = 26; n2: 0.4x10+0.6x50 = 34 -> n1
    ([(20, 40), (50, 10), (10, 50)], "n1"),
    // n0: 31; n1: 0.4x70+0.6x0 = 28; n2: 0.4x0+0.6x45 = 27 -> n2
    ([(25, 35), (70, 0), (0, 45)], "n2"),
    // n0: 32 with both; n1: memory only 0.4x100+0.6x5 = 43; n2: none -> n0
    ([(20, 40), (nil, 5), (nil, nil)], "n0"),
    // n0: 0.4x30+0.6x30 = 30; n1: 0.4x60+0.6x10 = 30; tie broken by id -> n0
    ([(30, 30), (60, 10), (79, 84)], "n0"),
    // only n2 reports: n0 and n1 have no metrics and rank after it -> n2
    ([(nil, nil), (nil, nil), (79, 84)], "n2"),
  ]

  @Test("the lowest score wins, ties go to the lower id", arguments: winners)
  func lowestScoreWins(pairs: [(Double?, Double?)], winner: String) throws {
    let nodes = pairs.enumerated().map { index, pair in
      Node.make(id: "n\(index)", cpu: pair.0, mem: pair.1)
    }
    let outcome = try NodeSelection(inventory: FakeInventory(nodes)).select(
      .task(), nowMs: fixedNow
    )
    #expect(outcome.node?.id == winner)
  }

  @Test("order is metrics, then location, then size, then score, then id")
  func orderFollowsEveryKey() {
    let request = SelectionRequest.task(size: "cx32", location: "nbg1")
    let nodes: [Node] = [
      .make(id: "blind-both", type: "cx32", location: "nbg1"),  // no metrics: last
      .make(id: "elsewhere", type: "cx32", location: "fsn1", cpu: 0, mem: 0),  // score 0
      .make(id: "here-bigger", type: "cx42", location: "nbg1", cpu: 0, mem: 0),  // score 0
      .make(id: "here-exact-b", type: "cx32", location: "nbg1", cpu: 50, mem: 50),  // 50
      .make(id: "here-exact-a", type: "cx32", location: "nbg1", cpu: 50, mem: 50),  // 50
      .make(id: "here-exact-idle", type: "cx32", location: "nbg1", cpu: 10, mem: 10),  // 10
    ]
    let ranked = self.scoring.ranked(nodes, for: request).map(\.id)
    #expect(
      ranked == [
        "here-exact-idle", "here-exact-a", "here-exact-b", "here-bigger", "elsewhere",
        "blind-both",
      ]
    )
  }

  @Test("the chosen node's explanation carries its score")
  func chosenNodesExplanationCarriesItsScore() throws {
    let inventory = FakeInventory([
      .make(id: "n1", health: .unhealthy, cpu: 1, mem: 1),
      .make(id: "n2", cpu: 25, mem: 35),  // 0.4 x 25 + 0.6 x 35 = 31
      .make(id: "n3", cpu: 60, mem: 60),  // 0.4 x 60 + 0.6 x 60 = 60
    ])
    let outcome = try NodeSelection(inventory: inventory).select(.task(), nowMs: fixedNow)
    #expect(outcome.explanation.summary == "chose n2 (score 31.0) of 3 nodes: 1 unhealthy")
    let chosen = try #require(outcome.explanation.consideration("n2"))
    #expect(chosen.chosen)
    #expect(chosen.score == 31)
    #expect(outcome.explanation.consideration("n3")?.score == 60)
    #expect(outcome.explanation.consideration("n1")?.score == nil)
  }
}
