import NodeSelectorCore

/// State changes after creation: compare-and-set transitions, releases, warm expiry and
/// status reports. Each is one `BEGIN IMMEDIATE` transaction that also writes its audit
/// event, so a state change is never stored without its event or the other way round.
extension NodeStore {
  /// Moves a node from any state in `from` to `to`, also writing the fields set in
  /// `update`; nil when the node is missing or not in `from` (the compare-and-set lost).
  ///
  /// Entering `warm` sets `warmSinceMs` to `nowMs`; any other target clears it. Entering a
  /// terminal state (stopped, failed) also closes the node's open assignments, so no task
  /// is left on a node that no longer exists.
  ///
  /// With `requireIdle`, the move also loses while the node has an open assignment; the
  /// check and the move are one transaction, so a claim cannot land between them.
  ///
  /// - Throws: ``NodeStoreError/Code/forbiddenTransition`` before touching the database
  ///   when some state in `from` may not move to `to` (``NodeState/canMove(to:)``). This
  ///   is a thrown error, not a precondition, because callers such as the reconciler build
  ///   `from` from rows they read, and a daemon serving other requests must not trap.
  public func transition(
    nodeID: String,
    from: Set<NodeState>,
    to: NodeState,
    reason: String?,
    nowMs: Int64,
    update: NodeUpdate = .init(),
    requireIdle: Bool = false
  ) throws -> Node? {
    let sources = from.sorted { $0.rawValue < $1.rawValue }
    if let forbidden = sources.first(where: { !$0.canMove(to: to) }) {
      throw NodeStoreError.forbiddenTransition(from: forbidden, to: to)
    }
    guard !sources.isEmpty else {
      return nil
    }

    let sql = """
      UPDATE nodes SET state = ?, warm_since_ms = ?, updated_at_ms = ?,
        state_changed_at_ms = ?,
        cloud_server_id = COALESCE(?, cloud_server_id), address = COALESCE(?, address),
        agent_port = COALESCE(?, agent_port), location = COALESCE(?, location),
        server_type = COALESCE(?, server_type),
        failure_reason = COALESCE(?, failure_reason), health = COALESCE(?, health)
      WHERE id = ? AND state IN (\(NodeRows.placeholders(sources.count)))
      """
    let warmSince: Int64? = to == .warm ? nowMs : nil
    let values: [SQLiteBindable?] =
      [
        to.rawValue, warmSince, nowMs, nowMs, update.cloudServerID, update.address,
        update.agentPort, update.location, update.serverType, update.failureReason,
        update.health?.rawValue, nodeID,
      ] + sources.map(\.rawValue)

    return try self.write { db in
      // Read under the write lock: the event needs the state being left.
      guard let old = try NodeRows.state(db, id: nodeID), from.contains(old) else {
        return nil
      }
      if requireIdle, try NodeRows.openAssignments(db, nodeID: nodeID) > 0 {
        return nil
      }
      guard try db.run(sql, values) == 1 else {
        return nil
      }

      try NodeRows.insertEvent(db, nodeID: nodeID, atMs: nowMs, from: old, to: to, reason: reason)
      if to.isTerminal {
        _ = try NodeRows.closeAssignments(db, nodeID: nodeID, nowMs: nowMs)
      }
      return try Self.reread(db, id: nodeID)
    }
  }

  /// Closes `taskID`'s open assignment on the node. When that was the node's last open
  /// assignment and the node is running, the node becomes warm in the same transaction.
  public func release(nodeID: String, taskID: String, nowMs: Int64) throws -> ReleaseOutcome {
    try self.write { db in
      guard let state = try NodeRows.state(db, id: nodeID) else {
        return .nodeNotFound
      }

      let sql = """
        UPDATE assignments SET released_at_ms = ?
        WHERE task_id = ? AND node_id = ? AND released_at_ms IS NULL
        """
      guard try db.run(sql, [nowMs, taskID, nodeID]) == 1 else {
        return .notAssigned
      }

      if state == .running, try NodeRows.openAssignments(db, nodeID: nodeID) == 0 {
        _ = try NodeRows.move(
          db, nodeID: nodeID, from: .running, to: .warm, reason: "last assignment released",
          nowMs: nowMs)
      }
      return .released(try Self.reread(db, id: nodeID))
    }
  }

  /// Ends a warm node's idle time if it has been warm since before `warmSinceBeforeMs`.
  ///
  /// A node this service provisioned moves to `destroying` (the caller then deletes its
  /// server). An adopted node is not ours to delete: it moves back to `running` with no
  /// assignments, leaving the warm pool but staying available, so selection may still
  /// assign tasks to it (it is the user's own machine, kept for that purpose); it re-enters
  /// the pool only after a later assignment is released. nil when the node is missing, not
  /// warm, not idle long enough, or a claim won the race (a compare-and-set on `warm`).
  public func expireWarm(
    nodeID: String, warmSinceBeforeMs: Int64, nowMs: Int64
  ) throws -> Node? {
    try self.write { db in
      guard let node = try NodeRows.node(db, id: nodeID), node.state == .warm,
        let warmSince = node.warmSinceMs, warmSince < warmSinceBeforeMs
      else {
        return nil
      }

      let next: NodeState = node.provisioned ? .destroying : .running
      guard
        try NodeRows.move(
          db, nodeID: nodeID, from: .warm, to: next, reason: "warm timeout", nowMs: nowMs)
      else {
        return nil
      }
      return try Self.reread(db, id: nodeID)
    }
  }

  /// Closes every open assignment of the node (it is being destroyed or has failed);
  /// returns how many were closed.
  @discardableResult
  public func closeOpenAssignments(nodeID: String, nowMs: Int64) throws -> Int {
    try self.write { db in
      try NodeRows.closeAssignments(db, nodeID: nodeID, nowMs: nowMs)
    }
  }

  /// Records a health and load report; nil when the node is unknown.
  ///
  /// nil `health` keeps the stored health. Metrics merge: a figure the report lacks keeps
  /// its stored value (``NodeMetrics/merged(with:)``). NaN never reaches the table, because
  /// ``NodeMetrics`` drops it on construction.
  public func updateStatus(
    nodeID: String, health: NodeHealth?, metrics: NodeMetrics?, nowMs: Int64
  ) throws -> Node? {
    let reported = metrics ?? .none
    let sql = """
      UPDATE nodes SET health = COALESCE(?, health),
        cpu_percent = COALESCE(?, cpu_percent),
        load_average_1m = COALESCE(?, load_average_1m),
        memory_percent = COALESCE(?, memory_percent),
        metrics_at_ms = COALESCE(?, metrics_at_ms), updated_at_ms = ?
      WHERE id = ?
      """
    let values: [SQLiteBindable?] = [
      health?.rawValue, reported.cpuPercent, reported.loadAverage1m, reported.memoryPercent,
      reported.isEmpty ? nil : nowMs, nowMs, nodeID,
    ]

    return try self.write { db in
      guard try db.run(sql, values) == 1 else {
        return nil
      }
      return try Self.reread(db, id: nodeID)
    }
  }
}
