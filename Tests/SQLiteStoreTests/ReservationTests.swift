import NodeSelectorCore
import Testing

@testable import SQLiteStore

@Suite("Node-limit reservations and workspace assignments")
struct ReservationTests {
  struct LimitCase: Sendable, CustomTestStringConvertible {
    let live: Int
    let terminal: Int
    let limit: Int
    let reserved: Bool
    var testDescription: String { "\(live) live + \(terminal) ended, limit \(limit)" }
  }

  static let limitCases = [
    // 2 live < 3: room for one more; ended nodes never count.
    LimitCase(live: 2, terminal: 0, limit: 3, reserved: true),
    // 3 live == 3: at the limit.
    LimitCase(live: 3, terminal: 0, limit: 3, reserved: false),
    // 4 live > 3 (the limit was lowered): over it.
    LimitCase(live: 4, terminal: 0, limit: 3, reserved: false),
    // 2 live + 4 failed/stopped: only the 2 count, 2 < 3.
    LimitCase(live: 2, terminal: 4, limit: 3, reserved: true),
    // 0 live, limit 0: nothing may be provisioned.
    LimitCase(live: 0, terminal: 1, limit: 0, reserved: false),
  ]

  @Test(
    "reservations respect the limit and ignore failed and stopped nodes",
    arguments: limitCases)
  func reservationRespectsLimit(row: LimitCase) throws {
    let store = try NodeStore(path: ":memory:")
    let liveStates: [NodeState] = [.creating, .booting, .running, .destroying]
    for index in 0..<row.live {
      let state = liveStates[index % liveStates.count]
      _ = try store.insertAdopted(.make("live-\(index)", state: state))
    }
    for index in 0..<row.terminal {
      _ = try store.insertAdopted(
        .make("ended-\(index)", state: index.isMultiple(of: 2) ? .failed : .stopped))
    }

    let outcome = try store.reserveProvisioning(
      node: .make("new", state: .creating), taskID: "t1", nodeLimit: row.limit, nowMs: 9)

    if row.reserved {
      guard case .reserved(let node) = outcome else {
        Issue.record("expected a reservation, got \(outcome)")
        return
      }
      #expect(node.state == .creating)
      #expect(node.workspaces == 1)
      #expect(try store.assignment(taskID: "t1")?.nodeID == "new")
    } else {
      #expect(outcome == .limitReached(count: row.live, limit: row.limit))
      #expect(try store.node(id: "new") == nil)
      #expect(try store.assignment(taskID: "t1") == nil)
    }
  }

  @Test("a retried reservation for the same task returns the first one and adds no node")
  func reservationIsIdempotent() throws {
    let store = try NodeStore(path: ":memory:")
    let first = try store.reserveProvisioning(
      node: .make("n1", state: .creating), taskID: "t1", nodeLimit: 5, nowMs: 10)
    guard case .reserved = first else {
      Issue.record("expected a reservation, got \(first)")
      return
    }

    let retry = try store.reserveProvisioning(
      node: .make("n2", state: .creating), taskID: "t1", nodeLimit: 5, nowMs: 20)

    let expected = Assignment(taskID: "t1", nodeID: "n1", userID: "user-1", assignedAtMs: 10)
    #expect(retry == .existing(expected))
    #expect(try store.node(id: "n2") == nil)
    #expect(try store.countLive(userID: "user-1") == 1)
  }

  @Test("assign stops at the workspace limit and refuses other users and states")
  func assignRespectsLimitUserAndState() throws {
    let store = try NodeStore(path: ":memory:")
    _ = try store.insertAdopted(.make("run", state: .running))
    _ = try store.insertAdopted(.make("boot", state: .booting))

    func assign(_ node: String, _ user: String, _ task: String) throws -> Bool {
      try store.assign(nodeID: node, userID: user, taskID: task, workspaceLimit: 2, nowMs: 5)
    }

    #expect(try assign("run", "user-1", "t1"))
    #expect(try assign("run", "user-1", "t2"))
    #expect(!(try assign("run", "user-1", "t3")))
    #expect(!(try assign("run", "user-2", "t4")))
    #expect(!(try assign("boot", "user-1", "t5")))
    #expect(!(try assign("missing", "user-1", "t6")))
    #expect(try store.node(id: "run")?.workspaces == 2)
  }

  @Test("a task already assigned is never assigned a second time")
  func assignedTaskCannotBeReassigned() throws {
    let store = try NodeStore(path: ":memory:")
    _ = try store.insertAdopted(.make("a", state: .running))
    _ = try store.insertAdopted(.make("b", state: .warm, warmSinceMs: 1))

    #expect(
      try store.assign(nodeID: "a", userID: "user-1", taskID: "t", workspaceLimit: 5, nowMs: 1))
    #expect(
      !(try store.assign(nodeID: "a", userID: "user-1", taskID: "t", workspaceLimit: 5, nowMs: 2)))
    #expect(!(try store.claimWarm(nodeID: "b", userID: "user-1", taskID: "t", nowMs: 3)))
    #expect(try store.node(id: "b")?.state == .warm)
  }
}
