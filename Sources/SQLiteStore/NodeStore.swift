import Foundation
import NodeSelectorCore

/// Nodes, their task assignments and an audit of their state changes, in one SQLite file.
///
/// Thread-safe: one connection behind one lock, so every method (read or write) runs alone
/// in this process, and each write is one `BEGIN IMMEDIATE` transaction. The lock is also
/// what makes the connection's `SQLITE_OPEN_NOMUTEX` mode and its statement cache safe
/// (see ``Connection``): nothing touches the connection outside ``locked(_:)``. Several instances
/// (in this process or in other daemon processes) may share one file: SQLite's file locks
/// and a 5 s busy timeout serialise their writes, and WAL lets their reads run meanwhile.
///
/// Why one locked connection and not a pool: SQLite admits one writer per file at a time,
/// so a pool would only let reads overlap, and every read here is a single indexed query
/// over a table of at most a few hundred rows (users × node limit), well under a
/// millisecond. The lock also gives readers a simple rule: nothing else runs on this
/// connection during a call, so no call can see another's half-done transaction.
/// Measured on the 2-core build machine (release build, 500 nodes): one locked connection
/// served about 7,000 list reads/s and 4,000 assign-plus-release pairs/s from 16 threads;
/// a connection per thread reached about 12,500 reads/s. Selection needs tens per second.
/// TODO: If profiling ever shows reads queueing behind the lock, add a small pool of
/// read-only connections (WAL readers do not block the writer); the API would not change.
///
/// Times are Unix milliseconds passed in by the caller (`nowMs`), never read from a clock
/// here, so tests control them.
public final class NodeStore: NodeInventory, @unchecked Sendable {
  // @unchecked: `connection` is only touched while `lock` is held.
  private let connection: Connection
  private let lock = NSLock()

  /// Opens (creating if needed) the database at `path` and migrates it to the latest
  /// schema. ":memory:" gives a private database that lives as long as this instance.
  public init(path: String) throws {
    let connection = try Connection(path: path)
    try Migrator.nodeStore.migrate(connection)
    self.connection = connection
  }

  /// Refuses a damaged file (`PRAGMA integrity_check`, which also checks every index
  /// against its table), so a daemon does not start, report itself healthy, and then fail
  /// or mislead every call. Slower than a quick check, and linear-ish in the file's size:
  /// run it at start-up only.
  public func checkIntegrity() throws {
    let findings = try self.locked {
      try $0.query("PRAGMA integrity_check(3)") { $0.text(0) }
    }
    guard findings == ["ok"] else {
      let lines = findings.flatMap { $0.split(separator: "\n") }
      let first = lines.first { !$0.hasPrefix("***") }.map(String.init) ?? "no answer"
      throw NodeStoreError.corruptRow("the file is damaged (integrity check: \(first))")
    }
  }

  /// Closes the database, reporting a failure; afterwards any call is a programmer error.
  public func close() throws {
    try self.locked { try $0.close() }
  }

  /// Runs `body` alone on the connection.
  func locked<Result>(_ body: (Connection) throws -> Result) throws -> Result {
    self.lock.lock()
    defer { self.lock.unlock() }
    return try body(self.connection)
  }

  /// Runs `body` alone on the connection, inside one `BEGIN IMMEDIATE` transaction.
  func write<Result>(_ body: (Connection) throws -> Result) throws -> Result {
    try self.locked { db in
      try db.transaction(.immediate) { try body(db) }
    }
  }

  // MARK: Reads

  /// A fresh read of one node, `workspaces` filled in; nil when unknown.
  public func node(id: String) throws -> Node? {
    try self.locked { try NodeRows.node($0, id: id) }
  }

  /// Nodes of one user (or of everyone when `userID` is nil), oldest first, all at once.
  public func nodes(userID: String?, includeTerminal: Bool) throws -> [Node] {
    let (conditions, values) = Self.listConditions(userID: userID, includeTerminal)
    let condition = conditions.joined(separator: " AND ")
    return try self.locked { try NodeRows.nodes($0, where: condition, values) }
  }

  /// One page of nodes of one user (or of everyone when `userID` is nil), ordered by id:
  /// at most `limit` nodes whose id sorts after `afterID` (byte order), from the first when
  /// `afterID` is nil. The next page starts after the last id returned; a page shorter
  /// than `limit` is the last. `limit` below 1 returns no nodes (the caller clamps it).
  ///
  /// Pages are separate reads, not one snapshot: a node created meanwhile shows up on a
  /// later page only if its id sorts after the position reached, and a node that turns
  /// terminal meanwhile may be missing when `includeTerminal` is false.
  public func nodes(
    userID: String?, includeTerminal: Bool, afterID: String?, limit: Int
  ) throws -> [Node] {
    guard limit > 0 else {
      return []
    }
    var (conditions, values) = Self.listConditions(userID: userID, includeTerminal)
    if let afterID {
      conditions.append("n.id > ?")
      values.append(afterID)
    }
    values.append(limit)
    let condition = conditions.joined(separator: " AND ")
    return try self.locked { db in
      try NodeRows.nodes(db, where: condition, values, order: "ORDER BY n.id LIMIT ?")
    }
  }

  /// The WHERE terms (joined with AND) and their values shared by the two listings.
  private static func listConditions(
    userID: String?, _ includeTerminal: Bool
  ) -> (conditions: [String], values: [SQLiteBindable?]) {
    var conditions = ["1"]
    var values: [SQLiteBindable?] = []
    if let userID {
      conditions.append("n.user_id = ?")
      values.append(userID)
    }
    if !includeTerminal {
      let terminal = Set(NodeState.allCases.filter(\.isTerminal))
      conditions.append("n.state NOT IN (\(NodeRows.placeholders(terminal.count)))")
      values += NodeRows.names(terminal)
    }
    return (conditions, values)
  }

  /// This database's deployment id (16 hex digits), drawn once when the file was created.
  /// Cloud servers carry it as a label so each deployment reconciles only its own.
  public func instanceID() throws -> String {
    let sql = "SELECT value FROM meta WHERE key = 'instance_id'"
    let values = try self.locked { try $0.query(sql) { $0.text(0) } }
    guard let value = values.first else {
      throw NodeStoreError.corruptRow("meta has no instance_id")
    }
    return value
  }

  /// Every node in one of `states`, for the reconciler.
  public func nodes(inStates states: Set<NodeState>) throws -> [Node] {
    guard !states.isEmpty else {
      return []
    }
    let condition = "n.state IN (\(NodeRows.placeholders(states.count)))"
    return try self.locked { try NodeRows.nodes($0, where: condition, NodeRows.names(states)) }
  }

  // TODO: a warm claim still reads and decodes every warm row of the user (about 1.2 ms
  // per 1,000 rows on the shared build VM), because `NodeInventory.warmNodes` hands all of
  // them to `WarmRanking`. Acceptable for now: linear, and half its former cost. Fix: let
  // the inventory take the ranking keys and return the best few (`ORDER BY ... LIMIT k`),
  // which is a contract change in NodeSelectorCore, not a store-only one.
  public func warmNodes(userID: String) throws -> [Node] {
    try self.nodes(userID: userID, state: .warm)
  }

  public func runningNodes(userID: String) throws -> [Node] {
    try self.nodes(userID: userID, state: .running)
  }

  private func nodes(userID: String, state: NodeState) throws -> [Node] {
    try self.locked { db in
      try NodeRows.nodes(db, where: "n.user_id = ? AND n.state = ?", [userID, state.rawValue])
    }
  }

  /// The user's nodes that count toward the node limit (every state but stopped, failed).
  public func countLive(userID: String) throws -> Int {
    try self.locked { try NodeRows.countLive($0, userID: userID) }
  }

  /// The task's assignment, open or released; nil when the task was never assigned.
  public func assignment(taskID: String) throws -> Assignment? {
    try self.locked { try NodeRows.assignment($0, taskID: taskID) }
  }

  /// Frees a task id whose attempt failed: deletes its assignment when that assignment is
  /// closed and its node is `failed`, so the caller may try the task again. False (and
  /// nothing changed) otherwise: an open assignment, or one that ended by release.
  @discardableResult
  public func forgetFailedAssignment(taskID: String) throws -> Bool {
    let sql = """
      DELETE FROM assignments WHERE task_id = ? AND released_at_ms IS NOT NULL
        AND node_id IN (SELECT id FROM nodes WHERE state = 'failed')
      """
    return try self.write { try $0.run(sql, [taskID]) == 1 }
  }

  /// The node's state changes, oldest first.
  public func events(nodeID: String) throws -> [NodeEvent] {
    let sql = """
      SELECT node_id, at_ms, from_state, to_state, reason FROM events
      WHERE node_id = ? ORDER BY id
      """
    return try self.locked { db in
      try db.query(sql, [nodeID]) { row in
        guard let to = NodeState(rawValue: row.text(3)) else {
          throw NodeStoreError.corruptRow("unknown event state \(row.text(3))")
        }
        return NodeEvent(
          nodeID: row.text(0), atMs: row.int64(1),
          fromState: row.optionalText(2).flatMap(NodeState.init(rawValue:)), toState: to,
          reason: row.optionalText(4))
      }
    }
  }
}
