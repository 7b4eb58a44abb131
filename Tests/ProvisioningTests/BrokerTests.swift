import NodeSelectorCore
import SQLiteStore
import StructuredLog
import Testing

@testable import Provisioning

@Suite("Broker use cases")
struct BrokerTests {
  /// A broker whose background work runs inline, so provisioning finishes before `select`
  /// returns.
  func broker(_ harness: Harness, nodeLimit: Int = 10) throws -> Broker {
    let policy = try SelectionPolicy(nodeLimit: nodeLimit)
    return Broker(
      store: harness.store, provisioner: harness.provisioner, policy: policy,
      clock: harness.clock, logger: Logger(label: "test", sink: .discard),
      spawn: { work in work() })
  }

  func command(_ task: String?, provision: Bool = true, wait: Bool = false) -> SelectCommand {
    SelectCommand(
      request: SelectionRequest(userID: "alice", taskID: task),
      allowProvision: provision, waitUntilReady: wait)
  }

  @Test("nothing fits and provisioning not allowed: failed precondition with the explanation")
  func nothingFitsWithoutProvision() throws {
    let harness = try Harness()
    let broker = try self.broker(harness)
    let error = #expect(throws: BrokerError.self) {
      try broker.select(self.command("t1", provision: false), budget: .unbounded)
    }
    #expect(error?.code == .failedPrecondition)
    #expect(error?.explanation != nil)
    #expect(harness.cloud.createCalls.isEmpty)
  }

  @Test("at the node limit: limitReached naming count and limit, and no server created")
  func limitReached() throws {
    let harness = try Harness()
    let broker = try self.broker(harness, nodeLimit: 1)
    _ = try broker.select(self.command("t1"), budget: .unbounded)
    _ = try harness.store.updateStatus(
      nodeID: try #require(try harness.store.assignment(taskID: "t1")).nodeID,
      health: .unhealthy, metrics: nil, nowMs: harness.clock.nowMs())

    let error = #expect(throws: BrokerError.self) {
      try broker.select(self.command("t2"), budget: .unbounded)
    }
    #expect(error?.code == .limitReached)
    #expect(error?.message.contains("1 of 1") == true)
    #expect(harness.cloud.createCalls.count == 1)
  }

  @Test("a retried task id returns the same node and never provisions twice")
  func retryIsIdempotent() throws {
    let harness = try Harness()
    let broker = try self.broker(harness)
    let first = try broker.select(self.command("t1"), budget: .unbounded)
    let second = try broker.select(self.command("t1"), budget: .unbounded)
    #expect(first.method == .provisioned)
    #expect(second.method == .existingAssignment)
    #expect(second.node.id == first.node.id)
    #expect(harness.cloud.createCalls.count == 1)
  }

  @Test("a released task id is spent: reusing it is refused with the reason")
  func releasedTaskIDIsRefused() throws {
    let harness = try Harness(healthAnswers: [true])
    let broker = try self.broker(harness)
    let first = try broker.select(self.command("t1"), budget: .unbounded)
    _ = try broker.release(nodeID: first.node.id, taskID: "t1")

    let error = #expect(throws: BrokerError.self) {
      try broker.select(self.command("t1"), budget: .unbounded)
    }
    #expect(error?.code == .failedPrecondition)
    #expect(error?.message.contains("released") == true)
  }

  @Test("a task whose node failed can be retried with the same id, on a new node")
  func failedTaskCanBeRetried() throws {
    let harness = try Harness(healthAnswers: [true])
    let broker = try self.broker(harness)
    harness.cloud.createScript = [.quota]
    let failed = try broker.select(self.command("t1"), budget: .unbounded)
    #expect(try harness.store.node(id: failed.node.id)?.state == .failed)

    let retried = try broker.select(self.command("t1"), budget: .unbounded)

    #expect(retried.method == .provisioned)
    #expect(retried.node.id != failed.node.id)
    #expect(try harness.store.node(id: retried.node.id)?.state == .running)
    #expect(try harness.store.assignment(taskID: "t1")?.nodeID == retried.node.id)
  }

  @Test("waiting ends with deadlineExceeded when the caller's deadline has passed")
  func waitRespectsDeadline() throws {
    let harness = try Harness()
    let policy = try SelectionPolicy()
    let broker = Broker(
      store: harness.store, provisioner: harness.provisioner, policy: policy,
      clock: harness.clock, logger: Logger(label: "test", sink: .discard),
      spawn: { _ in })
    let expired = WaitBudget(remainingMs: { 0 }, isCancelled: { false })

    let error = #expect(throws: BrokerError.self) {
      try broker.select(self.command("t1", wait: true), budget: expired)
    }
    #expect(error?.code == .deadlineExceeded)
    #expect(error?.message.contains("same task id") == true)
  }

  @Test("waiting ends with cancelled when the caller went away")
  func waitStopsWhenCancelled() throws {
    let harness = try Harness()
    let broker = Broker(
      store: harness.store, provisioner: harness.provisioner, policy: try SelectionPolicy(),
      clock: harness.clock, logger: Logger(label: "test", sink: .discard),
      spawn: { _ in })
    let gone = WaitBudget(remainingMs: { nil }, isCancelled: { true })

    let error = #expect(throws: BrokerError.self) {
      try broker.select(self.command("t1", wait: true), budget: gone)
    }
    #expect(error?.code == .cancelled)
  }

  @Test(
    "bad input is refused before anything is stored",
    arguments: [
      SelectionRequest(userID: ""),
      SelectionRequest(userID: "a\u{0}b"),
      SelectionRequest(userID: String(repeating: "u", count: 129)),
      SelectionRequest(userID: "alice", preferredSize: "cx999"),
      SelectionRequest(userID: "alice", preferredLocation: "Zürich"),
    ])
  func refusesBadInput(request: SelectionRequest) throws {
    let harness = try Harness()
    let broker = try self.broker(harness)
    let command = SelectCommand(request: request, allowProvision: true, waitUntilReady: false)
    let error = #expect(throws: BrokerError.self) {
      try broker.select(command, budget: .unbounded)
    }
    #expect(error?.code == .invalidArgument)
    #expect(try harness.store.nodes(userID: nil, includeTerminal: true).isEmpty)
  }
}
