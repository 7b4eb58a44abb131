@testable import NodeSelectorCore

/// An in-memory ``NodeInventory`` that behaves like the store, with hooks for races.
///
/// Claims and assignments are the same conditional writes the store makes. Hooks let a
/// test make a claim or an assignment lose, change a node between the list and its
/// re-read, or make the lists misbehave (other users' nodes, any state).
final class FakeInventory: NodeInventory {
  enum Failure: Error {
    case listFailed
  }

  /// Nodes in listing order.
  private(set) var nodes: [Node]
  /// Node ids whose warm claim loses, as if another request claimed first.
  var claimLoses: Set<String> = []
  /// Node ids whose assignment loses, as if another request took the last room.
  var assignLoses: Set<String> = []
  /// Runs before each `node(id:)` re-read: the place to change a node after the list.
  var beforeReRead: ((String, FakeInventory) -> Void)?
  /// Lists return every node, ignoring user and state: an inventory that misbehaves.
  var listsEverything = false
  var failLists = false

  private(set) var warmListCalls = 0
  private(set) var runningListCalls = 0
  private(set) var reReads: [String] = []
  private(set) var claimAttempts: [String] = []
  private(set) var assignAttempts: [String] = []
  /// Task ids by node id, for won claims and assignments.
  private(set) var tasks: [String: [String]] = [:]

  init(_ nodes: [Node]) {
    self.nodes = nodes
  }

  func update(_ id: String, _ change: (inout Node) -> Void) {
    guard let index = self.nodes.firstIndex(where: { $0.id == id }) else {
      return
    }
    change(&self.nodes[index])
  }

  func remove(_ id: String) {
    self.nodes.removeAll { $0.id == id }
  }

  func warmNodes(userID: String) throws -> [Node] {
    self.warmListCalls += 1
    return try self.list { $0.userID == userID && $0.state == .warm }
  }

  func runningNodes(userID: String) throws -> [Node] {
    self.runningListCalls += 1
    return try self.list { $0.userID == userID && $0.state == .running }
  }

  func node(id: String) throws -> Node? {
    self.reReads.append(id)
    self.beforeReRead?(id, self)
    return self.nodes.first { $0.id == id }
  }

  func claimWarm(nodeID: String, userID: String, taskID: String, nowMs: Int64) throws -> Bool {
    self.claimAttempts.append(nodeID)
    guard !self.claimLoses.contains(nodeID),
      let node = self.nodes.first(where: { $0.id == nodeID }),
      node.state == .warm, node.userID == userID
    else {
      return false
    }
    self.update(nodeID) {
      $0.state = .running
      $0.workspaces += 1
      $0.warmSinceMs = nil
      $0.updatedAtMs = nowMs
    }
    self.tasks[nodeID, default: []].append(taskID)
    return true
  }

  func assign(
    nodeID: String, userID: String, taskID: String, workspaceLimit: Int, nowMs: Int64
  ) throws -> Bool {
    self.assignAttempts.append(nodeID)
    guard !self.assignLoses.contains(nodeID),
      let node = self.nodes.first(where: { $0.id == nodeID }),
      node.state == .running, node.userID == userID, node.workspaces < workspaceLimit
    else {
      return false
    }
    self.update(nodeID) {
      $0.workspaces += 1
      $0.updatedAtMs = nowMs
    }
    self.tasks[nodeID, default: []].append(taskID)
    return true
  }

  private func list(_ wanted: (Node) -> Bool) throws -> [Node] {
    if self.failLists {
      throw Failure.listFailed
    }
    return self.listsEverything ? self.nodes : self.nodes.filter(wanted)
  }
}
