import Testing

@testable import NodeSelectorCore

/// Not timed: checks that a large fleet costs one list and one write, with every node
/// considered once. The ranking itself is one sort over keys computed once per node.
@Suite("Large fleets")
struct ScaleTests {
  @Test("10,000 running nodes take one list and one assignment")
  func tenThousandRunningNodesTakeOneListAndOneAssignment() throws {
    let nodes = (0..<10_000).map { index in
      // 0.4 x c + 0.6 x m with c = m = index % 70 + 1; node 4,242 alone scores 0.5.
      let figure = index == 4_242 ? 0.5 : Double(index % 70 + 1)
      return Node.make(id: "n\(index)", cpu: figure, mem: figure, workspaces: index % 11)
    }
    let inventory = FakeInventory(nodes)
    let outcome = try NodeSelection(inventory: inventory).select(.task(), nowMs: fixedNow)

    #expect(outcome.node?.id == "n4242")
    #expect(inventory.runningListCalls == 1)
    #expect(inventory.assignAttempts == ["n4242"])
    #expect(outcome.explanation.considered.count == 10_000)
    #expect(outcome.explanation.considered.filter(\.chosen).count == 1)
  }

  @Test("10,000 warm nodes take one list, one re-read and one claim")
  func tenThousandWarmNodesTakeOneReReadAndOneClaim() throws {
    let nodes = (0..<10_000).map { index in
      Node.warm(id: "w\(index)", since: Int64(20_000 - index))
    }
    let inventory = FakeInventory(nodes)
    let outcome = try NodeSelection(inventory: inventory).select(.task(), nowMs: fixedNow)

    #expect(outcome.node?.id == "w9999")  // warm since 10,001: the longest warm
    #expect(inventory.warmListCalls == 1)
    #expect(inventory.reReads == ["w9999"])
    #expect(inventory.claimAttempts == ["w9999"])
  }
}
