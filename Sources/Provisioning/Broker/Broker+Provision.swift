import Foundation
import NodeSelectorCore
import SQLiteStore
import StructuredLog

extension Broker {
  func provisionNew(
    _ command: SelectCommand, _ request: SelectionRequest, _ explanation: Explanation,
    budget: WaitBudget, log: Logger
  ) throws(BrokerError) -> SelectResult {
    guard command.allowProvision, let taskID = request.taskID else {
      let why =
        request.taskID == nil
        ? "nothing is provisioned without a task id"
        : "set allow_provision to create a new node"
      throw BrokerError(
        .failedPrecondition, "no node fits (\(explanation.summary)); \(why)",
        explanation: explanation)
    }

    let config = self.provisioner.config
    if let location = request.preferredLocation, !config.locations.contains(location) {
      throw BrokerError(
        .invalidArgument,
        "preferred_location \(location) is not one this service provisions in "
          + "(\(config.locations.joined(separator: ", "))); see --locations")
    }
    let now = self.clock.nowMs()
    let candidate = Node(
      id: Identifiers.newNodeID(), userID: request.userID, state: .creating,
      serverType: request.preferredSize ?? config.defaultServerType,
      location: request.preferredLocation ?? config.locations.first ?? "",
      agentPort: config.agentPort, provisioned: true, createdAtMs: now)
    let reservation = try Storage.run { () throws in
      try self.store.reserveProvisioning(
        node: candidate, taskID: taskID, nodeLimit: self.policy.nodeLimit, nowMs: now)
    }

    let node: Node
    switch reservation {
    case .limitReached(let count, let limit):
      log.info("node limit reached", ["count": "\(count)", "limit": "\(limit)"])
      throw BrokerError(
        .limitReached,
        "user \(request.userID) has \(count) of \(limit) nodes allowed; release or destroy "
          + "one, or raise --node-limit", explanation: explanation)
    case .existing(let assignment):
      guard assignment.userID == request.userID else {
        throw BrokerError(.failedPrecondition, "task id \(taskID) is in use by another user")
      }
      let earlier = try Storage.run { () throws in try self.store.node(id: assignment.nodeID) }
      guard let earlier else {
        throw BrokerError(.internalError, "assignment of \(taskID) names a missing node")
      }
      let ready = try self.waitIfAsked(earlier, command: command, budget: budget)
      return SelectResult(
        node: ready, method: .existingAssignment, explanation: explanation, taskID: taskID)
    case .reserved(let reserved):
      node = reserved
    }

    log.info("provisioning reserved", ["node.id": node.id, "summary": explanation.summary])
    let provisioner = self.provisioner
    self.spawn { provisioner.provision(node) }
    let ready = try self.waitIfAsked(node, command: command, budget: budget)
    return SelectResult(
      node: ready, method: .provisioned, explanation: explanation, taskID: taskID)
  }

  /// Returns `node` as it is, or, when the caller asked to wait, once it is running.
  func waitIfAsked(_ node: Node, command: SelectCommand, budget: WaitBudget)
    throws(BrokerError) -> Node
  {
    guard command.waitUntilReady, node.state == .creating || node.state == .booting else {
      return node
    }
    while true {
      let current = try Storage.run { () throws in try self.store.node(id: node.id) }
      guard let current else {
        throw BrokerError(.internalError, "node \(node.id) vanished while provisioning")
      }
      switch current.state {
      case .running, .warm:
        return current
      case .failed:
        throw BrokerError(
          .unavailable,
          "provisioning node \(node.id) failed: \(current.failureReason ?? "unknown")")
      case .destroying, .stopped:
        throw BrokerError(.failedPrecondition, "node \(node.id) was destroyed while booting")
      case .creating, .booting:
        break
      }
      // The deadline first: a passed deadline also reads as cancelled, and the caller
      // should learn which it was.
      if let left = budget.remainingMs(), left <= 0 {
        throw BrokerError(
          .deadlineExceeded,
          "node \(node.id) is still \(current.state.rawValue); call GetNode or retry "
            + "SelectNode with the same task id")
      }
      guard !budget.isCancelled() else {
        throw BrokerError(.cancelled, "the caller went away while node \(node.id) booted")
      }
      self.clock.sleep(milliseconds: min(50, budget.remainingMs() ?? 50))
    }
  }
}

enum Identifiers {
  /// "n-" and 16 hex digits from the system's secure generator: unique without a central
  /// counter, so daemons sharing a database never collide.
  static func newNodeID() -> String {
    var generator = SystemRandomNumberGenerator()
    let value = generator.next() as UInt64
    let hex = String(value, radix: 16)
    return "n-" + String(repeating: "0", count: 16 - hex.count) + hex
  }
}
