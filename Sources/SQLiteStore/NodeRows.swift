import NodeSelectorCore

/// The SQL the repository methods share, on a connection the caller already holds (inside
/// its lock and, for writes, inside its transaction). Nothing here locks or begins.
enum NodeRows {
  /// The node columns in the order ``decode(_:)`` reads them. The last one is the open
  /// assignment count that schema triggers keep on the row (``Schema/version2``), so a
  /// list is one index scan with no per-row subquery.
  static let select = """
    SELECT n.id, n.user_id, n.state, n.server_type, n.location, n.address, n.agent_port,
      n.cloud_server_id, n.provisioned, n.health, n.cpu_percent, n.load_average_1m,
      n.memory_percent, n.failure_reason, n.created_at_ms, n.updated_at_ms, n.warm_since_ms,
      n.open_assignments
    FROM nodes n
    """

  /// Deterministic order for every list but the paged one (which orders by id alone).
  static let order = "ORDER BY n.created_at_ms, n.id"

  /// Known state and health names as bytes, so decoding a row builds no String for them;
  /// a name missing here (a case added to the core later) still decodes, through the
  /// String path in ``decode(_:)``.
  private static let states = NodeState.allCases
  private static let stateNames = states.map { Array($0.rawValue.utf8) }
  private static let healths: [NodeHealth] = [.unknown, .healthy, .unhealthy]
  private static let healthNames = healths.map { Array($0.rawValue.utf8) }

  static func decode(_ row: Statement) throws -> Node {
    let state = try self.state(row, column: 2)
    let health = try self.health(row, column: 9)
    return Node(
      id: row.text(0),
      userID: row.text(1),
      state: state,
      serverType: row.text(3),
      location: row.text(4),
      address: row.text(5),
      agentPort: row.int(6),
      cloudServerID: row.optionalInt64(7),
      provisioned: row.bool(8),
      health: health,
      metrics: NodeMetrics(
        cpuPercent: row.optionalDouble(10),
        loadAverage1m: row.optionalDouble(11),
        memoryPercent: row.optionalDouble(12)),
      workspaces: row.int(17),
      failureReason: row.optionalText(13),
      createdAtMs: row.int64(14),
      updatedAtMs: row.int64(15),
      warmSinceMs: row.optionalInt64(16))
  }

  private static func state(_ row: Statement, column: Int32) throws -> NodeState {
    if let index = row.textIndex(column, in: stateNames) {
      return states[index]
    }
    guard let state = NodeState(rawValue: row.text(column)) else {
      throw NodeStoreError.corruptRow("unknown node state \(row.text(column))")
    }
    return state
  }

  private static func health(_ row: Statement, column: Int32) throws -> NodeHealth {
    if let index = row.textIndex(column, in: healthNames) {
      return healths[index]
    }
    guard let health = NodeHealth(rawValue: row.text(column)) else {
      throw NodeStoreError.corruptRow("unknown node health \(row.text(column))")
    }
    return health
  }

  /// "?, ?, ?" for `count` placeholders.
  static func placeholders(_ count: Int) -> String {
    Array(repeating: "?", count: count).joined(separator: ", ")
  }

  /// State names sorted, so the same set always prepares the same SQL.
  static func names(_ states: Set<NodeState>) -> [SQLiteBindable?] {
    states.map(\.rawValue).sorted()
  }

  static func nodes(
    _ db: Connection, where condition: String, _ values: [SQLiteBindable?],
    order: String = order
  ) throws -> [Node] {
    try db.query("\(select) WHERE \(condition) \(order)", values, decode: decode)
  }

  static func node(_ db: Connection, id: String) throws -> Node? {
    try nodes(db, where: "n.id = ?", [id]).first
  }

  static func state(_ db: Connection, id: String) throws -> NodeState? {
    let names = try db.query("SELECT state FROM nodes WHERE id = ?", [id]) { $0.text(0) }
    return names.first.flatMap(NodeState.init(rawValue:))
  }

  /// The user's nodes in states that count toward the node limit.
  static func countLive(_ db: Connection, userID: String) throws -> Int {
    let terminal = Set(NodeState.allCases.filter(\.isTerminal))
    let sql = """
      SELECT COUNT(*) FROM nodes
      WHERE user_id = ? AND state NOT IN (\(placeholders(terminal.count)))
      """
    return Int(try db.scalar(sql, [userID] + names(terminal)) ?? 0)
  }

  /// The node's open assignments, as the schema triggers keep them (0 for an unknown node).
  static func openAssignments(_ db: Connection, nodeID: String) throws -> Int {
    let sql = "SELECT open_assignments FROM nodes WHERE id = ?"
    return Int(try db.scalar(sql, [nodeID]) ?? 0)
  }

  static func assignment(_ db: Connection, taskID: String) throws -> Assignment? {
    let sql = """
      SELECT task_id, node_id, user_id, assigned_at_ms, released_at_ms
      FROM assignments WHERE task_id = ?
      """
    return try db.query(sql, [taskID]) { row in
      Assignment(
        taskID: row.text(0), nodeID: row.text(1), userID: row.text(2),
        assignedAtMs: row.int64(3), releasedAtMs: row.optionalInt64(4))
    }.first
  }

  /// Writes every stored field of `node`; `workspaces` is derived and ignored.
  static func insert(_ db: Connection, _ node: Node, stateChangedAtMs: Int64) throws {
    let sql = """
      INSERT INTO nodes (id, user_id, state, server_type, location, address, agent_port,
        cloud_server_id, provisioned, health, cpu_percent, load_average_1m, memory_percent,
        failure_reason, created_at_ms, updated_at_ms, warm_since_ms, state_changed_at_ms,
        metrics_at_ms)
      VALUES (\(placeholders(19)))
      """
    let metrics = node.metrics
    try db.run(
      sql,
      [
        node.id, node.userID, node.state.rawValue, node.serverType, node.location,
        node.address, node.agentPort, node.cloudServerID, node.provisioned,
        node.health.rawValue, metrics.cpuPercent, metrics.loadAverage1m,
        metrics.memoryPercent, node.failureReason, node.createdAtMs, node.updatedAtMs,
        node.warmSinceMs, stateChangedAtMs, metrics.isEmpty ? nil : node.updatedAtMs,
      ])
  }

  static func insertAssignment(
    _ db: Connection, taskID: String, nodeID: String, userID: String, nowMs: Int64
  ) throws {
    let sql = """
      INSERT INTO assignments (task_id, node_id, user_id, assigned_at_ms) VALUES (?, ?, ?, ?)
      """
    try db.run(sql, [taskID, nodeID, userID, nowMs])
  }

  /// Closes every open assignment of the node; returns how many.
  static func closeAssignments(_ db: Connection, nodeID: String, nowMs: Int64) throws -> Int {
    let sql = """
      UPDATE assignments SET released_at_ms = ? WHERE node_id = ? AND released_at_ms IS NULL
      """
    return try db.run(sql, [nowMs, nodeID])
  }

  static func insertEvent(
    _ db: Connection, nodeID: String, atMs: Int64, from: NodeState?, to: NodeState,
    reason: String?
  ) throws {
    let sql = """
      INSERT INTO events (node_id, at_ms, from_state, to_state, reason) VALUES (?, ?, ?, ?, ?)
      """
    try db.run(sql, [nodeID, atMs, from?.rawValue, to.rawValue, reason])
  }

  /// Moves a node whose state is `from` to `to`, keeping `warm_since_ms` in step (set on
  /// entering warm, cleared otherwise), and audits it. False when the row was not in `from`.
  static func move(
    _ db: Connection, nodeID: String, from: NodeState, to: NodeState, reason: String,
    nowMs: Int64
  ) throws -> Bool {
    let sql = """
      UPDATE nodes SET state = ?, warm_since_ms = ?, updated_at_ms = ?, state_changed_at_ms = ?
      WHERE id = ? AND state = ?
      """
    let warmSince: Int64? = to == .warm ? nowMs : nil
    let values: [SQLiteBindable?] = [to.rawValue, warmSince, nowMs, nowMs, nodeID, from.rawValue]
    guard try db.run(sql, values) == 1 else {
      return false
    }
    try insertEvent(db, nodeID: nodeID, atMs: nowMs, from: from, to: to, reason: reason)
    return true
  }
}
