import Testing

@testable import NodeSelectorCore

@Suite("Tenancy")
struct TenancyTests {
  /// u1 and u2 interleaved; u2's nodes are always the better ones.
  static func interleavedFleet() -> [Node] {
    (0..<10).flatMap { index -> [Node] in
      let load = Double(index)
      return [
        .make(id: "u1-r\(index)", user: "u1", cpu: 30 + load, mem: 30 + load),
        .make(id: "u2-r\(index)", user: "u2", cpu: load, mem: load),
        .warm(id: "u2-w\(index)", user: "u2", since: Int64(index)),
      ]
    }
  }

  @Test("each user gets their own best node from interleaved fleets")
  func eachUserGetsTheirOwnBestNode() throws {
    let inventory = FakeInventory(Self.interleavedFleet())
    let selection = NodeSelection(inventory: inventory)

    let first = try selection.select(.task("t1", user: "u1"), nowMs: fixedNow)
    #expect(first.kind == "capacity")
    #expect(first.node?.id == "u1-r0")

    let second = try selection.select(.task("t2", user: "u2"), nowMs: fixedNow)
    #expect(second.kind == "warm")
    #expect(second.node?.id == "u2-w0")

    let advice = try selection.select(.task(nil, user: "u2"), nowMs: fixedNow)
    #expect(advice.node?.id == "u2-r0")
  }

  @Test("a misbehaving inventory cannot hand out another user's node")
  func misbehavingInventoryCannotHandOutAnotherUsersNode() throws {
    let inventory = FakeInventory(Self.interleavedFleet())
    inventory.listsEverything = true
    let outcome = try NodeSelection(inventory: inventory).select(
      .task("t1", user: "u1"), nowMs: fixedNow
    )

    #expect(outcome.node?.userID == "u1")
    #expect(outcome.node?.id == "u1-r0")
    #expect(inventory.claimAttempts.isEmpty)
    #expect(inventory.reReads.isEmpty)
    #expect(inventory.assignAttempts == ["u1-r0"])
    #expect(outcome.explanation.considered.allSatisfy { $0.nodeID.hasPrefix("u1-") })
    // The warm list also handed back u1's running nodes: passed over, not claimed.
    #expect(
      outcome.explanation.summary
        == "chose u1-r0 (score 30.0) of 10 nodes: 10 state running, not warm"
    )
  }

  @Test("a user whose only nodes belong to someone else is told to provision")
  func userWithOnlyForeignNodesProvisions() throws {
    let inventory = FakeInventory(Self.interleavedFleet())
    inventory.listsEverything = true
    let outcome = try NodeSelection(inventory: inventory).select(
      .task("t1", user: "u3"), nowMs: fixedNow
    )
    #expect(outcome.kind == "provision")
    #expect(outcome.explanation.summary == "0/0 nodes fit")
    #expect(outcome.explanation.considered.isEmpty)
  }
}
