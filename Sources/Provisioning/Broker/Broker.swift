import Foundation
import NodeSelectorCore
import SQLiteStore
import StructuredLog

/// The use cases behind the RPCs: select (claim, assign or provision), release, report,
/// register, get, list, destroy. Validates input, runs the core against the store, starts
/// provisioning in the background, and explains what it did. Thread-safe.
public final class Broker: @unchecked Sendable {
  let store: NodeStore
  let provisioner: Provisioner
  let policy: SelectionPolicy
  let clock: Clock
  let logger: Logger
  /// Starts background work (provisioning); tests may run it inline.
  let spawn: @Sendable (@escaping @Sendable () -> Void) -> Void

  public init(
    store: NodeStore, provisioner: Provisioner, policy: SelectionPolicy, clock: Clock,
    logger: Logger,
    spawn: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void = Broker.newThread
  ) {
    self.store = store
    self.provisioner = provisioner
    self.policy = policy
    self.clock = clock
    self.logger = logger
    self.spawn = spawn
  }

  /// Runs work on a fresh thread: provisioning blocks for minutes and must not hold a
  /// shared pool thread.
  public static let newThread: @Sendable (@escaping @Sendable () -> Void) -> Void = { work in
    let thread = Thread { work() }
    thread.name = "provisioning"
    thread.start()
  }

  /// Finds a node for the command's task. See ``SelectCommand``.
  /// - Parameter budget: the caller's deadline and cancellation, for waiting.
  public func select(_ command: SelectCommand, budget: WaitBudget) throws(BrokerError)
    -> SelectResult
  {
    let request = try Validation.selection(command.request)
    let log = self.logger.with("user.id", request.userID).with("task.id", request.taskID ?? "")

    if let taskID = request.taskID, let earlier = try self.existingAssignment(taskID, request) {
      log.debug("task already assigned", ["node.id": earlier.id])
      let node = try self.waitIfAsked(earlier, command: command, budget: budget)
      return SelectResult(
        node: node, method: .existingAssignment,
        explanation: Explanation(
          summary: "task \(taskID) already assigned to \(node.id)", considered: []),
        taskID: taskID)
    }

    let outcome = try self.decide(request)
    switch outcome {
    case .claimedWarm(let node, let explanation):
      log.debug("claimed warm node", ["node.id": node.id, "summary": explanation.summary])
      return SelectResult(
        node: node, method: .warmClaim, explanation: explanation, taskID: request.taskID)
    case .existingCapacity(let node, let explanation):
      log.debug("chose running node", ["node.id": node.id, "summary": explanation.summary])
      return SelectResult(
        node: node, method: .existingCapacity, explanation: explanation,
        taskID: request.taskID)
    case .provision(let explanation):
      return try self.provisionNew(command, request, explanation, budget: budget, log: log)
    }
  }

  private func decide(_ request: SelectionRequest) throws(BrokerError) -> SelectionOutcome {
    let selection = NodeSelection(inventory: self.store, policy: self.policy)
    do {
      return try selection.select(request, nowMs: self.clock.nowMs())
    } catch {
      throw BrokerError(.internalError, "selection failed: \(error)")
    }
  }

  /// The node of an open assignment of `taskID`, nil when the task id is free.
  ///
  /// A task whose node failed may be tried again: its old assignment is forgotten and the
  /// id is free. A task id whose assignment was released is spent: reusing it is refused,
  /// because a late retry of a finished task must not quietly start a second one.
  private func existingAssignment(_ taskID: String, _ request: SelectionRequest)
    throws(BrokerError) -> Node?
  {
    let found = try Storage.run { () throws in try self.store.assignment(taskID: taskID) }
    guard let assignment = found else {
      return nil
    }
    guard assignment.userID == request.userID else {
      throw BrokerError(
        .failedPrecondition,
        "task id \(taskID) is in use by another user; task ids must be unique")
    }
    let node = try Storage.run { () throws in try self.store.node(id: assignment.nodeID) }
    guard assignment.releasedAtMs != nil else {
      return node
    }
    if node?.state == .failed {
      let freed = try Storage.run { () throws in
        try self.store.forgetFailedAssignment(taskID: taskID)
      }
      if freed {
        self.logger.info(
          "retrying a failed task",
          ["task.id": taskID, "failed.node.id": assignment.nodeID, "user.id": request.userID])
        return nil
      }
    }
    throw BrokerError(
      .failedPrecondition,
      "task id \(taskID) was already used (it was released from node \(assignment.nodeID)); "
        + "use a new task id")
  }
}

/// The caller's patience: its deadline and whether it is still listening.
public struct WaitBudget: Sendable {
  public var remainingMs: @Sendable () -> Int64?
  public var isCancelled: @Sendable () -> Bool

  public init(
    remainingMs: @escaping @Sendable () -> Int64?,
    isCancelled: @escaping @Sendable () -> Bool
  ) {
    self.remainingMs = remainingMs
    self.isCancelled = isCancelled
  }

  /// No deadline, never cancelled.
  public static let unbounded = WaitBudget(remainingMs: { nil }, isCancelled: { false })
}

/// Turns store errors into broker errors at one place.
enum Storage {
  static func run<T>(_ body: () throws -> T) throws(BrokerError) -> T {
    do {
      return try body()
    } catch let error as BrokerError {
      throw error
    } catch let error as SQLiteError {
      // The SQL text stays in the daemon's own log (the router logs INTERNAL at error
      // level with this message); the caller gets the code and SQLite's message.
      throw BrokerError(
        .internalError, "store failed: \(error.message) (SQLite code \(error.extendedCode))")
    } catch {
      throw BrokerError(.internalError, "store failed: \(error)")
    }
  }
}
