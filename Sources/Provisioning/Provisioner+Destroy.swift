import NodeSelectorCore
import SQLiteStore

extension Provisioner {
  /// Takes a node out of service: provisioned nodes lose their cloud server, adopted nodes
  /// are only forgotten. Returns the row afterwards (`stopped`, or still `destroying` when
  /// the delete failed: the reconciler finishes it), nil when the node is unknown.
  ///
  /// Without `force` the node must have no open assignment at the moment it leaves
  /// service (checked in the same transaction as the move); otherwise the returned row
  /// still has its workspaces and its live state, for the caller to refuse.
  public func destroy(_ nodeID: String, reason: String, force: Bool = true) throws -> Node? {
    guard let node = try self.store.node(id: nodeID) else {
      return nil
    }
    guard !node.state.isTerminal else {
      return node
    }
    let now = self.clock.nowMs()
    guard node.provisioned else {
      return try self.store.transition(
        nodeID: nodeID, from: [.running, .warm], to: .stopped, reason: reason, nowMs: now,
        requireIdle: !force)
        ?? self.store.node(id: nodeID)
    }

    let live: Set<NodeState> = [.creating, .booting, .running, .warm]
    guard
      let destroying = try self.store.transition(
        nodeID: nodeID, from: live, to: .destroying, reason: reason, nowMs: now,
        requireIdle: !force)
    else {
      return try self.store.node(id: nodeID)
    }
    try self.store.closeOpenAssignments(nodeID: nodeID, nowMs: now)
    return self.finishDestroying(destroying, serverID: destroying.cloudServerID)
  }

  /// Deletes the server of a `destroying` row and stops the row. A row still `creating`
  /// has no server id yet: its provisioning thread sees the row left `creating` and
  /// deletes what it made.
  @discardableResult
  func finishDestroying(_ node: Node, serverID: Int64?) -> Node? {
    let log = self.logger.with("node.id", node.id)
    if let serverID, !self.deleteServer(serverID, logger: log) {
      return try? self.store.node(id: node.id)
    }
    let stopped = try? self.store.transition(
      nodeID: node.id, from: [.destroying], to: .stopped, reason: "server deleted",
      nowMs: self.clock.nowMs())
    log.info("node stopped")
    return stopped ?? (try? self.store.node(id: node.id))
  }

  /// Ends warm nodes idle past the warm timeout: provisioned ones are destroyed, adopted
  /// ones leave the pool. A claim racing the expiry wins or loses as one compare-and-set.
  /// Returns the ids that expired.
  @discardableResult
  public func reapWarm() throws -> [String] {
    let now = self.clock.nowMs()
    let cutoff = now - self.config.warmTimeoutMs
    var expired: [String] = []
    for node in try self.store.nodes(inStates: [.warm]) {
      guard let since = node.warmSinceMs, since <= cutoff else {
        continue
      }
      guard
        let ended = try self.store.expireWarm(
          nodeID: node.id, warmSinceBeforeMs: cutoff + 1, nowMs: now)
      else {
        continue
      }
      self.logger.info(
        "warm node expired",
        [
          "node.id": node.id, "warm_ms": "\(now - since)", "next": ended.state.rawValue,
        ])
      expired.append(node.id)
      if ended.state == .destroying {
        self.finishDestroying(ended, serverID: ended.cloudServerID)
      }
    }
    return expired
  }
}
