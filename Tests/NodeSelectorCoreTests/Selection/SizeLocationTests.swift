import Testing

@testable import NodeSelectorCore

@Suite("Size and location preferences")
struct SizeLocationTests {
  @Test("a full node in the preferred location falls back to the best node elsewhere")
  func fullPreferredLocationFallsBack() throws {
    let inventory = FakeInventory([
      .make(id: "here", location: "nbg1", cpu: 1, mem: 1, workspaces: 10),
      .make(id: "far-busy", location: "hel1", cpu: 60, mem: 60),
      .make(id: "far-idle", location: "fsn1", cpu: 10, mem: 10),
    ])
    let outcome = try NodeSelection(inventory: inventory).select(
      .task(location: "nbg1"), nowMs: fixedNow
    )
    #expect(outcome.node?.id == "far-idle")
  }

  @Test("the preferred location wins over a lower score")
  func preferredLocationWinsOverLowerScore() throws {
    let inventory = FakeInventory([
      .make(id: "far", location: "fsn1", cpu: 0, mem: 0),
      .make(id: "here", location: "NBG1", cpu: 70, mem: 80),
    ])
    let outcome = try NodeSelection(inventory: inventory).select(
      .task(location: "nbg1"), nowMs: fixedNow
    )
    #expect(outcome.node?.id == "here")
  }

  @Test("a size mismatch falls back to the best larger node")
  func sizeMismatchFallsBackToLargerNode() throws {
    let inventory = FakeInventory([
      .make(id: "exact-full", type: "cx32", workspaces: 10),
      .make(id: "big-busy", type: "cx52", cpu: 50, mem: 50),
      .make(id: "big-idle", type: "cx42", cpu: 5, mem: 5),
    ])
    let outcome = try NodeSelection(inventory: inventory).select(
      .task(size: "cx32"), nowMs: fixedNow
    )
    #expect(outcome.node?.id == "big-idle")
  }

  @Test("the exact size wins over a larger idle node")
  func exactSizeWinsOverLargerIdleNode() throws {
    let inventory = FakeInventory([
      .make(id: "big-idle", type: "cx52", cpu: 0, mem: 0),
      .make(id: "exact", type: "CX32", cpu: 60, mem: 60),
    ])
    let outcome = try NodeSelection(inventory: inventory).select(
      .task(size: "cx32"), nowMs: fixedNow
    )
    #expect(outcome.node?.id == "exact")
  }

  /// Node type, requested size and the size reason, if any.
  static let sizeMinimum: [(String, String?, [Rejection])] = [
    ("cx22", "cx32", [.tooSmall(size: "cx22", required: "cx32")]),  // 2 < 4 vCPUs
    ("ccx13", "cx32", [.tooSmall(size: "ccx13", required: "cx32")]),  // 8 GiB but 2 vCPUs
    ("cpx31", "cx32", []),  // 4 vCPUs, 8 GiB: covers cx32
    ("ccx23", "cx32", []),  // 4 vCPUs, 16 GiB: covers cx32
    ("cx32", "cx32", []),  // exact
    ("mystery", "cx32", [.unknownSize("mystery")]),  // own size unknown, minimum unprovable
    ("cx32", "cx99", [.unknownSize("cx99")]),  // requested size unknown
    ("cx99", "CX99", []),  // unknown, but the exact requested type
    ("mystery", nil, []),  // no size requested: anything goes
    ("cx22", "  ", []),  // blank counts as no size
  ]

  @Test("the size minimum is respected", arguments: sizeMinimum)
  func sizeMinimumIsRespected(type: String, size: String?, expected: [Rejection]) {
    let filter = CapacityFilter(policy: .standard, request: .task(size: size))
    #expect(filter.rejections(of: .make(id: "n1", type: type)) == expected)
    let warm = WarmRanking(request: .task(size: size))
    #expect(warm.rejections(of: .warm(id: "w1", type: type)) == expected)
  }

  @Test("an idle smaller node is never chosen")
  func idleSmallerNodeIsNeverChosen() throws {
    let inventory = FakeInventory([
      .warm(id: "w-small", type: "cx22"),
      .make(id: "r-small", type: "cx22", cpu: 0, mem: 0),
    ])
    let outcome = try NodeSelection(inventory: inventory).select(
      .task(size: "cx32"), nowMs: fixedNow
    )
    #expect(outcome.kind == "provision")
    #expect(outcome.explanation.summary == "0/2 nodes fit: 2 size cx22 < cx32")
  }
}
