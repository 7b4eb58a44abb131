import Testing

@testable import NodeSelectorCore

@Suite("No node fits: provision")
struct NoNodeTests {
  static let fleets: [(String, [Node], String)] = [
    ("zero nodes", [], "0/0 nodes fit"),
    (
      "all full",
      [.make(id: "n1", workspaces: 10), .make(id: "n2", workspaces: 12)],
      "0/2 nodes fit: 1 at 10/10 workspaces, 1 at 12/10 workspaces"
    ),
    (
      "all unhealthy",
      [.make(id: "n1", health: .unhealthy), .make(id: "n2", health: .unhealthy)],
      "0/2 nodes fit: 2 unhealthy"
    ),
    (
      "a mix of reasons",
      [
        .make(id: "n1", health: .unhealthy), .make(id: "n2", workspaces: 10),
        .make(id: "n3", cpu: 10, mem: 91), .make(id: "n4", workspaces: 10),
        .make(id: "n5", health: .unhealthy),
      ],
      "0/5 nodes fit: 2 unhealthy, 2 at 10/10 workspaces, 1 memory 91% >= 85%"
    ),
    (
      "one node failing several ways",
      [.make(id: "n1", health: .unhealthy, cpu: 90, mem: 90)],
      "0/1 nodes fit: 1 unhealthy, 1 cpu 90% >= 80%, 1 memory 90% >= 85%"
    ),
  ]

  @Test("provision is returned with every reason", arguments: fleets)
  func provisionIsReturnedWithEveryReason(name: String, nodes: [Node], summary: String) throws {
    let inventory = FakeInventory(nodes)
    let outcome = try NodeSelection(inventory: inventory).select(.task(), nowMs: fixedNow)

    guard case .provision(let explanation) = outcome else {
      Issue.record("\(name): expected provision, got \(outcome.kind)")
      return
    }
    #expect(explanation.summary == summary)
    #expect(explanation.considered.count == nodes.count)
    #expect(explanation.considered.allSatisfy { !$0.chosen && !$0.rejections.isEmpty })
    #expect(inventory.assignAttempts.isEmpty)
  }

  @Test("every assignment lost: provision, each node marked assignment lost")
  func everyAssignmentLostProvisions() throws {
    let inventory = FakeInventory([.make(id: "n1", cpu: 1, mem: 1), .make(id: "n2")])
    inventory.assignLoses = ["n1", "n2"]
    let outcome = try NodeSelection(inventory: inventory).select(.task(), nowMs: fixedNow)
    #expect(outcome.kind == "provision")
    #expect(inventory.assignAttempts == ["n1", "n2"])
    #expect(outcome.explanation.summary == "0/2 nodes fit: 2 assignment lost")
  }

  @Test("a lost assignment moves on to the next node in rank order")
  func lostAssignmentMovesOn() throws {
    let inventory = FakeInventory([
      .make(id: "n1", cpu: 1, mem: 1), .make(id: "n2", cpu: 5, mem: 5),
      .make(id: "n3", cpu: 9, mem: 9),
    ])
    inventory.assignLoses = ["n1"]
    let outcome = try NodeSelection(inventory: inventory).select(.task(), nowMs: fixedNow)
    #expect(outcome.node?.id == "n2")
    #expect(inventory.assignAttempts == ["n1", "n2"])
    #expect(outcome.explanation.summary == "chose n2 (score 5.0) of 3 nodes: 1 assignment lost")
  }

  @Test("inventory failures are thrown, not turned into provision")
  func inventoryFailuresAreThrown() {
    let inventory = FakeInventory([.make(id: "n1")])
    inventory.failLists = true
    #expect(throws: FakeInventory.Failure.listFailed) {
      try NodeSelection(inventory: inventory).select(.task(), nowMs: fixedNow)
    }
  }
}
