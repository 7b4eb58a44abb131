import Testing

@testable import NodeSelectorCore

@Suite("Bad metrics")
struct BadMetricsTests {
  static let badFigures: [Double?] = [.nan, .infinity, -.infinity, -1, 100.5, nil]

  @Test("a bad cpu percent counts as no cpu figure", arguments: badFigures)
  func badCPUPercentCountsAsNoFigure(value: Double?) {
    let figures = LoadFigures(.make(id: "n1", cpu: value, mem: 40))
    #expect(figures.cpuPercent == nil)
    #expect(figures.memoryPercent == 40)
    // cpu missing counts as 100: 0.4 x 100 + 0.6 x 40 = 64
    #expect(Scoring(policy: .standard).score(figures) == 64)
  }

  @Test("a bad memory percent counts as no memory figure", arguments: badFigures)
  func badMemoryPercentCountsAsNoFigure(value: Double?) {
    let figures = LoadFigures(.make(id: "n1", cpu: 20, mem: value))
    #expect(figures.memoryPercent == nil)
    // memory missing counts as 100: 0.4 x 20 + 0.6 x 100 = 68
    #expect(Scoring(policy: .standard).score(figures) == 68)
  }

  static let badLoads: [Double?] = [.nan, .infinity, -.infinity, -0.5, nil]

  @Test("a bad load average counts as no cpu figure", arguments: badLoads)
  func badLoadAverageCountsAsNoFigure(value: Double?) {
    #expect(LoadFigures(.make(id: "n1", load: value, mem: 40)).cpuPercent == nil)
  }

  @Test("figures that bypassed NodeMetrics validation are still dropped before scoring")
  func figuresThatBypassedValidationAreDropped() {
    let figures = LoadFigures(cpuPercent: .nan, memoryPercent: 250)
    #expect(figures.isEmpty)
    #expect(Scoring(policy: .standard).score(figures) == nil)
    #expect(Scoring(policy: .standard).score(cpuPercent: -.infinity, memoryPercent: .nan) == nil)
  }

  @Test("a node with only bad figures ranks as no metrics, after every node with metrics")
  func nodeWithOnlyBadFiguresRanksAsNoMetrics() throws {
    let inventory = FakeInventory([
      .make(id: "a-bad", cpu: .nan, load: .infinity, mem: -3),
      .make(id: "z-busy", cpu: 79, mem: 84),  // 0.4 x 79 + 0.6 x 84 = 82
    ])
    let outcome = try NodeSelection(inventory: inventory).select(.task(), nowMs: fixedNow)
    #expect(outcome.node?.id == "z-busy")
    let bad = try #require(outcome.explanation.consideration("a-bad"))
    #expect(bad.rejections.isEmpty)
    #expect(bad.score == nil)
  }

  @Test("a node with no metrics at all is still chosen when it is the only one with room")
  func nodeWithNoMetricsIsStillChosen() throws {
    let inventory = FakeInventory([
      .make(id: "full", cpu: 10, mem: 10, workspaces: 10),
      .make(id: "blind"),
    ])
    let outcome = try NodeSelection(inventory: inventory).select(.task(), nowMs: fixedNow)
    #expect(outcome.node?.id == "blind")
    #expect(
      outcome.explanation.summary
        == "chose blind (no metrics) of 2 nodes: 1 at 10/10 workspaces"
    )
  }
}
