import Testing

@testable import NodeSelectorCore

@Suite("Rejection descriptions")
struct RejectionTests {
  static let rows: [(Rejection, String)] = [
    (.unhealthy, "unhealthy"),
    (.workspacesFull(used: 10, limit: 10), "10/10 workspaces"),
    (.memoryAtThreshold(percent: 91, threshold: 85), "memory 91% >= 85%"),
    (.cpuAtThreshold(percent: 150, threshold: 80), "cpu 150% >= 80%"),
    // 80.04 rounds to one decimal, 80.0, shown without ".0".
    (.cpuAtThreshold(percent: 80.04, threshold: 80), "cpu 80% >= 80%"),
    (.cpuAtThreshold(percent: 80.46, threshold: 80), "cpu 80.5% >= 80%"),
    (.tooSmall(size: "cx22", required: "cx32"), "size cx22 < cx32"),
    (.unknownSize("cx99"), "size cx99 unknown"),
    (.notRunning(.warm), "state warm, not running"),
    (.notWarm(.running), "state running, not warm"),
    (.gone, "gone"),
    (.ownerChanged, "owner changed"),
    (.warmClaimLost, "warm claim lost"),
    (.assignmentLost, "assignment lost"),
  ]

  @Test("each rejection reads as a short reason", arguments: rows)
  func eachRejectionReadsAsAShortReason(rejection: Rejection, text: String) {
    #expect(rejection.description == text)
  }

  @Test("a full node reads 'at n/limit workspaces' in a summary")
  func fullNodeReadsAtWorkspacesInSummary() {
    #expect(Rejection.workspacesFull(used: 10, limit: 10).summaryPhrase == "at 10/10 workspaces")
    #expect(Rejection.unhealthy.summaryPhrase == "unhealthy")
  }

  static let figures: [(Double, String, String)] = [
    (31, "31.0", "31"),
    (75.25, "75.3", "75.3"),  // 752.5 tenths round away from zero to 753
    (0.04, "0.0", "0"),
    (150, "150.0", "150"),
    (-2.5, "-2.5", "-2.5"),
  ]

  @Test("figures print with one decimal without Foundation", arguments: figures)
  func figuresPrintWithOneDecimal(value: Double, oneDecimal: String, percent: String) {
    #expect(Figure.oneDecimal(value) == oneDecimal)
    #expect(Figure.percent(value) == percent)
  }
}
