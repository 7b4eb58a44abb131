import NodeSelectorCore
import Testing

@testable import SQLiteStore

@Suite("Compare-and-set transitions")
struct TransitionTests {
  private func store(with node: Node) throws -> NodeStore {
    let store = try NodeStore(path: ":memory:")
    _ = try store.insertAdopted(node)
    return store
  }

  @Test("a transition that requires an idle node loses while a task is assigned")
  func requireIdleLosesToAnOpenAssignment() throws {
    let store = try self.store(with: .make(state: .running))
    #expect(
      try store.assign(
        nodeID: "node-1", userID: "user-1", taskID: "t1", workspaceLimit: 10, nowMs: 1))

    let busy = try store.transition(
      nodeID: "node-1", from: [.running], to: .destroying, reason: "destroy", nowMs: 2,
      requireIdle: true)
    #expect(busy == nil)
    #expect(try store.node(id: "node-1")?.state == .running)

    _ = try store.release(nodeID: "node-1", taskID: "t1", nowMs: 3)
    let idle = try store.transition(
      nodeID: "node-1", from: [.running, .warm], to: .destroying, reason: "destroy",
      nowMs: 4, requireIdle: true)
    #expect(idle?.state == .destroying)
  }

  @Test("a transition from the current state wins and writes the update fields")
  func transitionWinsAndWritesFields() throws {
    let store = try self.store(with: .make(state: .creating))
    let update = NodeUpdate(
      cloudServerID: 77, address: "127.0.0.3", agentPort: 9_000, location: "nbg1",
      serverType: "cx32", health: .healthy)

    let node = try #require(
      try store.transition(
        nodeID: "node-1", from: [.creating], to: .booting, reason: "server created",
        nowMs: 5_000, update: update))

    #expect(node.state == .booting)
    #expect(node.cloudServerID == 77)
    #expect(node.address == "127.0.0.3")
    #expect(node.agentPort == 9_000)
    #expect(node.location == "nbg1")
    #expect(node.serverType == "cx32")
    #expect(node.health == .healthy)
    #expect(node.updatedAtMs == 5_000)
    let events = try store.events(nodeID: "node-1")
    #expect(
      events.last
        == NodeEvent(
          nodeID: "node-1", atMs: 5_000, fromState: .creating, toState: .booting,
          reason: "server created"))
  }

  @Test("a transition from a state the node has left loses and writes nothing")
  func staleTransitionLoses() throws {
    let store = try self.store(with: .make(state: .booting))
    let before = try store.events(nodeID: "node-1")

    let result = try store.transition(
      nodeID: "node-1", from: [.creating], to: .failed, reason: "timeout", nowMs: 9_000,
      update: NodeUpdate(failureReason: "should not be written"))

    #expect(result == nil)
    #expect(try store.node(id: "node-1")?.failureReason == nil)
    #expect(try store.events(nodeID: "node-1") == before)
  }

  @Test("a transition of an unknown node returns nil")
  func unknownNodeTransitionReturnsNil() throws {
    let store = try NodeStore(path: ":memory:")
    let result = try store.transition(
      nodeID: "nope", from: [.running], to: .warm, reason: nil, nowMs: 1)
    #expect(result == nil)
  }

  @Test(
    "a move the lifecycle forbids throws before touching the row",
    arguments: [
      (NodeState.running, NodeState.creating),
      (.stopped, .running),
      (.warm, .warm),
      (.creating, .running),
    ])
  func forbiddenMoveThrows(from: NodeState, to: NodeState) throws {
    let store = try self.store(with: .make(state: from, warmSinceMs: from == .warm ? 1 : nil))

    let error = try #require(throws: NodeStoreError.self) {
      try store.transition(nodeID: "node-1", from: [from], to: to, reason: nil, nowMs: 2)
    }

    #expect(error.code == .forbiddenTransition)
    #expect(try store.node(id: "node-1")?.state == from)
  }

  @Test("entering warm sets warm-since and leaving warm clears it")
  func warmSinceFollowsState() throws {
    let store = try self.store(with: .make(state: .running))

    let warm = try store.transition(
      nodeID: "node-1", from: [.running], to: .warm, reason: "idle", nowMs: 10)
    let running = try store.transition(
      nodeID: "node-1", from: [.warm], to: .running, reason: "busy", nowMs: 20)

    #expect(warm?.warmSinceMs == 10)
    #expect(running?.warmSinceMs == nil)
  }

  @Test("a node entering a terminal state has its open assignments closed")
  func terminalStateClosesAssignments() throws {
    let store = try self.store(with: .make(state: .running))
    #expect(
      try store.assign(
        nodeID: "node-1", userID: "user-1", taskID: "t1", workspaceLimit: 5, nowMs: 1))

    let node = try store.transition(
      nodeID: "node-1", from: [.running], to: .stopped, reason: "deleted", nowMs: 30)

    #expect(node?.workspaces == 0)
    #expect(try store.assignment(taskID: "t1")?.releasedAtMs == 30)
  }

  @Test("closing open assignments reports how many were open")
  func closeOpenAssignmentsCounts() throws {
    let store = try self.store(with: .make(state: .running))
    for task in ["t1", "t2"] {
      _ = try store.assign(
        nodeID: "node-1", userID: "user-1", taskID: task, workspaceLimit: 5, nowMs: 1)
    }

    #expect(try store.closeOpenAssignments(nodeID: "node-1", nowMs: 2) == 2)
    #expect(try store.closeOpenAssignments(nodeID: "node-1", nowMs: 3) == 0)
  }
}
