import NodeSelectorCore
import Testing

@testable import SQLiteStore

/// `nodes.open_assignments` must equal the open assignment rows after any mix of the
/// writes that open or close assignments; the selection reads it as `workspaces`.
@Suite("Open assignment counter")
struct OpenAssignmentCounterTests {
  /// One random write against a small pool of nodes, users and tasks.
  private struct Walk {
    let store: NodeStore
    var random: SeededGenerator
    var tasks: [String] = []
    var nodeIDs = (0..<6).map { "n\($0)" }
    var nowMs: Int64 = 1_000

    mutating func pick<T>(_ values: [T]) -> T {
      values[Int.random(in: 0..<values.count, using: &self.random)]
    }

    mutating func newTask() -> String {
      self.tasks.append("t\(self.tasks.count)")
      return self.tasks[self.tasks.count - 1]
    }

    /// Runs one operation; returns its name, for the failure message.
    mutating func step() throws -> String {
      self.nowMs += 10
      let node = self.pick(self.nodeIDs)
      let user = self.pick(["u0", "u0", "u1"])
      switch Int.random(in: 0..<9, using: &self.random) {
      case 0:
        let state = self.pick([NodeState.running, .warm, .booting])
        let adopted = Node.make(node, user: user, state: state, createdAtMs: self.nowMs)
        _ = try? self.store.insertAdopted(adopted)
        return "insertAdopted \(node)"
      case 1:
        let limit = Int.random(in: 1...3, using: &self.random)
        _ = try self.store.assign(
          nodeID: node, userID: user, taskID: self.newTask(), workspaceLimit: limit,
          nowMs: self.nowMs)
        return "assign \(node)"
      case 2:
        _ = try self.store.claimWarm(
          nodeID: node, userID: user, taskID: self.newTask(), nowMs: self.nowMs)
        return "claimWarm \(node)"
      case 3:
        let fresh = "n\(self.nodeIDs.count)"
        let created = Node.make(fresh, user: user, state: .creating, createdAtMs: self.nowMs)
        let taskID =
          self.tasks.isEmpty || Bool.random(using: &self.random)
          ? self.newTask() : self.pick(self.tasks)
        let limit = Int.random(in: 2...12, using: &self.random)
        if case .reserved = try self.store.reserveProvisioning(
          node: created, taskID: taskID, nodeLimit: limit, nowMs: self.nowMs)
        {
          self.nodeIDs.append(fresh)
        }
        return "reserveProvisioning \(fresh)"
      case 4, 5:
        guard !self.tasks.isEmpty else {
          return "release (no task)"
        }
        let taskID = self.pick(self.tasks)
        let onNode = try self.store.assignment(taskID: taskID)?.nodeID ?? node
        _ = try self.store.release(nodeID: onNode, taskID: taskID, nowMs: self.nowMs)
        return "release \(taskID) on \(onNode)"
      case 6:
        try self.store.closeOpenAssignments(nodeID: node, nowMs: self.nowMs)
        return "closeOpenAssignments \(node)"
      case 7:
        guard let current = try self.store.node(id: node)?.state else {
          return "transition (no node)"
        }
        let targets = NodeState.allCases.filter(current.canMove(to:))
        guard !targets.isEmpty else {
          return "transition (\(current) is final)"
        }
        let target = self.pick(targets)
        _ = try self.store.transition(
          nodeID: node, from: [current], to: target, reason: "walk", nowMs: self.nowMs,
          requireIdle: Bool.random(using: &self.random))
        return "transition \(node) \(current) -> \(target)"
      default:
        _ = try self.store.expireWarm(
          nodeID: node, warmSinceBeforeMs: self.nowMs, nowMs: self.nowMs)
        return "expireWarm \(node)"
      }
    }
  }

  @Test(
    "the counter equals the open assignment rows after every step of a random walk",
    arguments: [1, 7, 2_024] as [UInt64])
  func counterMatchesRowsThroughoutRandomWalk(seed: UInt64) throws {
    let store = try NodeStore(path: ":memory:")
    var walk = Walk(store: store, random: SeededGenerator(seed: seed))
    for index in 0..<600 {
      let operation = try walk.step()
      let mismatches = try store.openAssignmentMismatches()
      try #require(mismatches == [], "seed \(seed), step \(index): \(operation)")
    }

    var opened = 0
    for taskID in walk.tasks {
      if let assignment = try store.assignment(taskID: taskID), assignment.releasedAtMs == nil {
        opened += 1
      }
    }
    let nodes = try store.nodes(userID: nil, includeTerminal: true)
    #expect(nodes.reduce(0) { $0 + $1.workspaces } == opened)
    // The walk must have exercised the counter, not only left it at zero.
    #expect(walk.tasks.count > 100)
  }

  @Test("a full node refuses another task by its counter, and a release makes room")
  func assignUsesTheCounterForTheWorkspaceLimit() throws {
    let store = try NodeStore(path: ":memory:")
    _ = try store.insertAdopted(.make(state: .running))
    for task in ["a", "b"] {
      #expect(
        try store.assign(
          nodeID: "node-1", userID: "user-1", taskID: task, workspaceLimit: 2, nowMs: 2))
    }

    #expect(
      try !store.assign(
        nodeID: "node-1", userID: "user-1", taskID: "c", workspaceLimit: 2, nowMs: 3))
    _ = try store.release(nodeID: "node-1", taskID: "a", nowMs: 4)
    #expect(
      try store.assign(
        nodeID: "node-1", userID: "user-1", taskID: "c", workspaceLimit: 2, nowMs: 5))
    #expect(try store.node(id: "node-1")?.workspaces == 2)
  }

  @Test("a counter driven below zero is a constraint error, not a wrong number")
  func negativeCounterIsRefused() throws {
    let store = try NodeStore(path: ":memory:")
    _ = try store.insertAdopted(.make(state: .running))

    let error = try #require(throws: SQLiteError.self) {
      try store.locked { db in
        try db.run("UPDATE nodes SET open_assignments = open_assignments - 1")
      }
    }
    #expect(error.isConstraintViolation)
  }
}
