import NodeSelectorCore

/// The writes that hand a node to a task, or create a node row: each is one
/// `BEGIN IMMEDIATE` transaction, so two callers (threads or processes) racing for the same
/// room get exactly one winner.
extension NodeStore {
  /// Moves a warm node of `userID` to running and assigns `taskID` to it.
  ///
  /// False when the node is no longer warm, is not that user's, or `taskID` already has an
  /// assignment (the caller should look it up with ``assignment(taskID:)``): the claim lost
  /// and nothing was written. Races with ``expireWarm(nodeID:warmSinceBeforeMs:nowMs:)``
  /// and other claims have exactly one winner: each is a compare-and-set on `state = warm`.
  public func claimWarm(
    nodeID: String, userID: String, taskID: String, nowMs: Int64
  ) throws -> Bool {
    try self.write { db in
      guard try NodeRows.assignment(db, taskID: taskID) == nil else {
        return false
      }

      let sql = """
        UPDATE nodes SET state = 'running', warm_since_ms = NULL, updated_at_ms = ?,
          state_changed_at_ms = ?
        WHERE id = ? AND user_id = ? AND state = 'warm'
        """
      guard try db.run(sql, [nowMs, nowMs, nodeID, userID]) == 1 else {
        return false
      }

      try NodeRows.insertAssignment(
        db, taskID: taskID, nodeID: nodeID, userID: userID, nowMs: nowMs)
      try NodeRows.insertEvent(
        db, nodeID: nodeID, atMs: nowMs, from: .warm, to: .running, reason: "claimed by task")
      return true
    }
  }

  /// Assigns `taskID` to a running node of `userID` that has fewer than `workspaceLimit`
  /// open assignments. One conditional `INSERT ... SELECT`: false (nothing written) when
  /// the node is not running, not the user's, full, or the task is already assigned.
  ///
  /// The limit reads the row's `open_assignments` inside this `BEGIN IMMEDIATE`
  /// transaction, and the insert's trigger raises it in the same statement, so two racing
  /// assigns still cannot both take the last room.
  public func assign(
    nodeID: String, userID: String, taskID: String, workspaceLimit: Int, nowMs: Int64
  ) throws -> Bool {
    let sql = """
      INSERT INTO assignments (task_id, node_id, user_id, assigned_at_ms)
      SELECT ?, n.id, n.user_id, ? FROM nodes n
      WHERE n.id = ? AND n.user_id = ? AND n.state = 'running' AND n.open_assignments < ?
        AND NOT EXISTS (SELECT 1 FROM assignments t WHERE t.task_id = ?)
      """
    let values: [SQLiteBindable?] = [taskID, nowMs, nodeID, userID, workspaceLimit, taskID]
    return try self.write { db in
      try db.run(sql, values) == 1
    }
  }

  /// Reserves room for a new node: the node-limit check and the insert are one transaction.
  ///
  /// In order: an existing assignment for `taskID` is returned as is (a retried request
  /// never provisions twice); a user with `nodeLimit` or more live nodes (any state but
  /// stopped and failed) gets `.limitReached`; otherwise `node` is inserted in state
  /// `creating` with `taskID` assigned to it. `node.state` must be `.creating`.
  public func reserveProvisioning(
    node: Node, taskID: String, nodeLimit: Int, nowMs: Int64
  ) throws -> Reservation {
    precondition(node.state == .creating, "reserveProvisioning needs a creating node")
    precondition(node.warmSinceMs == nil, "a creating node has no warm_since")

    return try self.write { db in
      if let existing = try NodeRows.assignment(db, taskID: taskID) {
        return .existing(existing)
      }

      let count = try NodeRows.countLive(db, userID: node.userID)
      guard count < nodeLimit else {
        return .limitReached(count: count, limit: nodeLimit)
      }

      try NodeRows.insert(db, node, stateChangedAtMs: nowMs)
      try NodeRows.insertAssignment(
        db, taskID: taskID, nodeID: node.id, userID: node.userID, nowMs: nowMs)
      try NodeRows.insertEvent(
        db, nodeID: node.id, atMs: nowMs, from: nil, to: .creating,
        reason: "reserved for task")
      return .reserved(try Self.reread(db, id: node.id))
    }
  }

  /// Stores a node the caller already runs (RegisterNode), with the caller's id.
  ///
  /// Throws ``NodeStoreError/Code/nodeExists`` when the id is taken. A warm node without
  /// `warmSinceMs` gets `updatedAtMs` as its warm-since; a non-warm node's is dropped.
  /// `workspaces` is ignored: it is counted from assignments, which only `assign` makes.
  public func insertAdopted(_ node: Node) throws -> Node {
    var row = node
    row.warmSinceMs = node.state == .warm ? (node.warmSinceMs ?? node.updatedAtMs) : nil

    return try self.write { db in
      guard try NodeRows.state(db, id: node.id) == nil else {
        throw NodeStoreError.nodeExists(id: node.id)
      }
      try NodeRows.insert(db, row, stateChangedAtMs: row.updatedAtMs)
      try NodeRows.insertEvent(
        db, nodeID: row.id, atMs: row.updatedAtMs, from: nil, to: row.state,
        reason: "registered")
      return try Self.reread(db, id: row.id)
    }
  }

  /// Reads back a row this transaction wrote or just saw.
  static func reread(_ db: Connection, id: String) throws -> Node {
    guard let node = try NodeRows.node(db, id: id) else {
      throw NodeStoreError.corruptRow("node \(id) vanished inside its own transaction")
    }
    return node
  }
}
