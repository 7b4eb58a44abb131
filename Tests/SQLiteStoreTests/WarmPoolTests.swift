import NodeSelectorCore
import Testing

@testable import SQLiteStore

@Suite("Release, claim and warm expiry")
struct WarmPoolTests {
  /// A running node of user-1 with `tasks` assigned.
  private func store(tasks: [String], state: NodeState = .running) throws -> NodeStore {
    let store = try NodeStore(path: ":memory:")
    _ = try store.insertAdopted(.make(state: .running))
    for task in tasks {
      let assigned = try store.assign(
        nodeID: "node-1", userID: "user-1", taskID: task, workspaceLimit: 10, nowMs: 100)
      #expect(assigned)
    }
    if state != .running {
      _ = try store.transition(
        nodeID: "node-1", from: [.running], to: state, reason: nil, nowMs: 150)
    }
    return store
  }

  @Test("releasing the last task makes a running node warm")
  func lastReleaseMakesWarm() throws {
    let store = try self.store(tasks: ["t1"])

    let outcome = try store.release(nodeID: "node-1", taskID: "t1", nowMs: 500)

    guard case .released(let node) = outcome else {
      Issue.record("expected released, got \(outcome)")
      return
    }
    #expect(node.state == .warm)
    #expect(node.warmSinceMs == 500)
    #expect(node.workspaces == 0)
    #expect(try store.events(nodeID: "node-1").last?.toState == .warm)
  }

  @Test("releasing one of several tasks keeps the node running")
  func earlierReleaseKeepsRunning() throws {
    let store = try self.store(tasks: ["t1", "t2"])

    let outcome = try store.release(nodeID: "node-1", taskID: "t1", nowMs: 500)

    guard case .released(let node) = outcome else {
      Issue.record("expected released, got \(outcome)")
      return
    }
    #expect(node.state == .running)
    #expect(node.warmSinceMs == nil)
    #expect(node.workspaces == 1)
  }

  @Test("a release on a node that is not running closes the task but never warms it")
  func releaseOnDestroyingNodeDoesNotWarm() throws {
    let store = try self.store(tasks: ["t1"], state: .destroying)

    let outcome = try store.release(nodeID: "node-1", taskID: "t1", nowMs: 500)

    guard case .released(let node) = outcome else {
      Issue.record("expected released, got \(outcome)")
      return
    }
    #expect(node.state == .destroying)
  }

  @Test("a second release of the same task, or of an unknown node, is reported")
  func repeatedAndUnknownReleases() throws {
    let store = try self.store(tasks: ["t1"])
    _ = try store.release(nodeID: "node-1", taskID: "t1", nowMs: 500)

    #expect(try store.release(nodeID: "node-1", taskID: "t1", nowMs: 600) == .notAssigned)
    #expect(try store.release(nodeID: "node-1", taskID: "other", nowMs: 600) == .notAssigned)
    #expect(try store.release(nodeID: "ghost", taskID: "t1", nowMs: 600) == .nodeNotFound)
  }

  @Test("a claim moves a warm node to running with the task assigned, once")
  func claimTakesWarmNodeOnce() throws {
    let store = try NodeStore(path: ":memory:")
    _ = try store.insertAdopted(.make(state: .warm, warmSinceMs: 10))

    let first = try store.claimWarm(nodeID: "node-1", userID: "user-1", taskID: "t1", nowMs: 20)
    let second = try store.claimWarm(nodeID: "node-1", userID: "user-1", taskID: "t2", nowMs: 21)

    #expect(first)
    #expect(!second)
    let node = try #require(try store.node(id: "node-1"))
    #expect(node.state == .running)
    #expect(node.warmSinceMs == nil)
    #expect(node.workspaces == 1)
    #expect(try store.assignment(taskID: "t1")?.nodeID == "node-1")
    #expect(try store.assignment(taskID: "t2") == nil)
  }

  @Test("a claim for another user's warm node loses")
  func claimOfOtherUsersNodeLoses() throws {
    let store = try NodeStore(path: ":memory:")
    _ = try store.insertAdopted(.make(state: .warm, warmSinceMs: 10))

    #expect(!(try store.claimWarm(nodeID: "node-1", userID: "intruder", taskID: "t", nowMs: 20)))
    #expect(try store.node(id: "node-1")?.state == .warm)
  }

  @Test(
    "expiry moves a provisioned node to destroying and an adopted one back to running",
    arguments: [(true, NodeState.destroying), (false, .running)])
  func expiryDependsOnOwnership(provisioned: Bool, expected: NodeState) throws {
    let store = try NodeStore(path: ":memory:")
    _ = try store.insertAdopted(.make(state: .warm, provisioned: provisioned, warmSinceMs: 10))

    let node = try store.expireWarm(nodeID: "node-1", warmSinceBeforeMs: 11, nowMs: 50)

    #expect(node?.state == expected)
    #expect(node?.warmSinceMs == nil)
    #expect(!(try store.claimWarm(nodeID: "node-1", userID: "user-1", taskID: "t", nowMs: 60)))
  }

  @Test("a node warm since the cut-off or later does not expire")
  func recentWarmNodeDoesNotExpire() throws {
    let store = try NodeStore(path: ":memory:")
    _ = try store.insertAdopted(.make(state: .warm, warmSinceMs: 10))

    #expect(try store.expireWarm(nodeID: "node-1", warmSinceBeforeMs: 10, nowMs: 50) == nil)
    #expect(try store.expireWarm(nodeID: "ghost", warmSinceBeforeMs: 99, nowMs: 50) == nil)
    #expect(try store.node(id: "node-1")?.state == .warm)
  }
}
