import Testing

@testable import NodeSelectorCore

@Suite("Warm selection")
struct WarmSelectionTests {
  @Test("the best size and location match is claimed first")
  func bestSizeAndLocationMatchIsClaimedFirst() throws {
    let inventory = FakeInventory([
      .warm(id: "w-size", type: "cx42", location: "fsn1", since: 1_000),
      .warm(id: "w-place", type: "cx52", location: "nbg1", since: 1_000),
      .warm(id: "w-both", type: "cx42", location: "nbg1", since: 9_000),
      .make(id: "idle-running", cpu: 0, mem: 0),
    ])
    let request = SelectionRequest.task(size: "cx42", location: "nbg1")
    let outcome = try NodeSelection(inventory: inventory).select(request, nowMs: fixedNow)

    guard case .claimedWarm(let node, let explanation) = outcome else {
      Issue.record("expected a warm claim, got \(outcome.kind)")
      return
    }
    #expect(node.id == "w-both")
    #expect(inventory.claimAttempts == ["w-both"])
    #expect(inventory.tasks["w-both"] == ["t1"])
    #expect(explanation.summary == "claimed warm w-both of 3 nodes")
    #expect(inventory.runningListCalls == 0)
  }

  @Test("the claimed node comes back running with the new workspace")
  func claimedNodeComesBackRunning() throws {
    let inventory = FakeInventory([.warm(id: "w1")])
    let node = try #require(
      try NodeSelection(inventory: inventory).select(.task(), nowMs: fixedNow).node
    )
    #expect(node.state == .running)
    #expect(node.workspaces == 1)
    #expect(node.warmSinceMs == nil)
    #expect(node.updatedAtMs == fixedNow)
  }

  /// Two warm nodes, the request, and the one that must be tried first.
  static let orderingBranches: [(String, [Node], SelectionRequest, String)] = [
    (
      "size match beats location match",
      [.warm(id: "a", type: "cx52", location: "nbg1"), .warm(id: "b", type: "cx42")],
      .task(size: "cx42", location: "nbg1"), "b"
    ),
    (
      "location match beats longest warm",
      [.warm(id: "a", since: 1), .warm(id: "b", location: "nbg1", since: 9)],
      .task(location: "nbg1"), "b"
    ),
    (
      "longest warm beats id",
      [.warm(id: "a", since: 9), .warm(id: "b", since: 1)],
      .task(), "b"
    ),
    (
      "id breaks a full tie",
      [.warm(id: "b", since: 5), .warm(id: "a", since: 5)],
      .task(), "a"
    ),
    (
      "unknown warm-since counts as newest",
      [.warm(id: "a", since: nil), .warm(id: "b", since: 9)],
      .task(), "b"
    ),
    (
      "a larger node is a size mismatch but allowed",
      [.warm(id: "a", type: "cx52"), .warm(id: "b", type: "cx22")],
      .task(size: "cx32"), "a"
    ),
    (
      "unknown own size is allowed when no size is requested",
      [.warm(id: "a", type: "mystery", since: 1), .warm(id: "b", since: 2)],
      .task(), "a"
    ),
  ]

  @Test("warm ordering branches", arguments: orderingBranches)
  func warmOrderingBranches(
    name: String, nodes: [Node], request: SelectionRequest, first: String
  ) throws {
    let inventory = FakeInventory(nodes)
    let outcome = try NodeSelection(inventory: inventory).select(request, nowMs: fixedNow)
    #expect(outcome.kind == "warm", "\(name)")
    #expect(inventory.claimAttempts.first == first, "\(name)")
  }

  @Test("warm nodes that cannot serve the request are never claimed")
  func warmNodesThatCannotServeAreNeverClaimed() throws {
    let inventory = FakeInventory([
      .warm(id: "sick", health: .unhealthy),
      .warm(id: "small", type: "cx22"),
      .warm(id: "mystery", type: "cx99"),
    ])
    let outcome = try NodeSelection(inventory: inventory).select(
      .task(size: "cx32"), nowMs: fixedNow
    )
    #expect(outcome.kind == "provision")
    #expect(inventory.claimAttempts.isEmpty)
    #expect(
      outcome.explanation.summary
        == "0/3 nodes fit: 1 unhealthy, 1 size cx22 < cx32, 1 size cx99 unknown"
    )
  }
}

@Suite("Warm miss falls through to capacity")
struct WarmMissTests {
  @Test("no warm nodes: the best running node is assigned")
  func noWarmNodesAssignsRunningNode() throws {
    let inventory = FakeInventory([.make(id: "r1", cpu: 10, mem: 10)])
    let outcome = try NodeSelection(inventory: inventory).select(.task(), nowMs: fixedNow)
    #expect(outcome.kind == "capacity")
    #expect(outcome.node?.id == "r1")
    #expect(outcome.node?.workspaces == 1)
    #expect(inventory.assignAttempts == ["r1"])
    #expect(inventory.warmListCalls == 1)
  }

  @Test("no task id: warm nodes are left alone and the advice assigns nothing")
  func noTaskIDLeavesWarmNodesAlone() throws {
    for taskID in [nil, ""] as [String?] {
      let inventory = FakeInventory([.warm(id: "w1"), .make(id: "r1", cpu: 10, mem: 10)])
      let outcome = try NodeSelection(inventory: inventory).select(
        .task(taskID), nowMs: fixedNow
      )
      #expect(outcome.kind == "capacity")
      #expect(outcome.node?.id == "r1")
      #expect(outcome.node?.workspaces == 0)
      #expect(outcome.explanation.summary == "advised r1 (score 10.0) of 1 nodes")
      #expect(inventory.warmListCalls == 0)
      #expect(inventory.claimAttempts.isEmpty)
      #expect(inventory.assignAttempts.isEmpty)
    }
  }

  @Test("every warm claim lost: falls through to capacity and says so")
  func everyWarmClaimLostFallsThrough() throws {
    let inventory = FakeInventory([
      .warm(id: "w1", since: 1), .warm(id: "w2", since: 2), .make(id: "r1", cpu: 20, mem: 40),
    ])
    inventory.claimLoses = ["w1", "w2"]
    let outcome = try NodeSelection(inventory: inventory).select(.task(), nowMs: fixedNow)

    #expect(outcome.kind == "capacity")
    #expect(outcome.node?.id == "r1")
    #expect(inventory.claimAttempts == ["w1", "w2"])
    // r1: 0.4 x 20 + 0.6 x 40 = 32
    #expect(outcome.explanation.summary == "chose r1 (score 32.0) of 3 nodes: 2 warm claim lost")
    #expect(outcome.explanation.consideration("w1", stage: .warm)?.rejections == [.warmClaimLost])
  }

  @Test("a lost claim moves on to the next warm node")
  func lostClaimMovesOnToTheNextWarmNode() throws {
    let inventory = FakeInventory([.warm(id: "w1", since: 1), .warm(id: "w2", since: 2)])
    inventory.claimLoses = ["w1"]
    let outcome = try NodeSelection(inventory: inventory).select(.task(), nowMs: fixedNow)
    #expect(outcome.kind == "warm")
    #expect(outcome.node?.id == "w2")
    #expect(outcome.explanation.summary == "claimed warm w2 of 2 nodes: 1 warm claim lost")
  }
}

@Suite("Freshness between list and claim")
struct FreshnessTests {
  /// A change made to w1 after the list, and the reason it is skipped for.
  static let changes: [(String, @Sendable (FakeInventory) -> Void, [Rejection])] = [
    ("claimed by another", { $0.update("w1") { $0.state = .running } }, [.notWarm(.running)]),
    ("being destroyed", { $0.update("w1") { $0.state = .destroying } }, [.notWarm(.destroying)]),
    ("gone", { $0.remove("w1") }, [.gone]),
    ("given to another user", { $0.update("w1") { $0.userID = "u2" } }, [.ownerChanged]),
    ("turned unhealthy", { $0.update("w1") { $0.health = .unhealthy } }, [.unhealthy]),
  ]

  @Test("a node that changed between the list and the claim is skipped", arguments: changes)
  func nodeThatChangedIsSkipped(
    name: String, change: @escaping @Sendable (FakeInventory) -> Void, reasons: [Rejection]
  ) throws {
    let inventory = FakeInventory([.warm(id: "w1", since: 1), .warm(id: "w2", since: 2)])
    inventory.beforeReRead = { id, inventory in
      if id == "w1" {
        change(inventory)
      }
    }
    let outcome = try NodeSelection(inventory: inventory).select(.task(), nowMs: fixedNow)

    #expect(outcome.node?.id == "w2", "\(name)")
    #expect(inventory.claimAttempts == ["w2"], "\(name)")
    #expect(outcome.explanation.consideration("w1", stage: .warm)?.rejections == reasons)
  }
}
