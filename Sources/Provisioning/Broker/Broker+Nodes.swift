import NodeSelectorCore
import SQLiteStore

/// Registration of adopted nodes, reports, release, look-ups and destruction.
extension Broker {
  public struct Registration: Sendable {
    public var userID: String
    public var address: String
    public var agentPort: Int
    public var serverType: String
    public var location: String
    public var cloudServerID: Int64?
    public var health: NodeHealth
    public var metrics: NodeMetrics

    public init(
      userID: String, address: String, agentPort: Int, serverType: String, location: String,
      cloudServerID: Int64?, health: NodeHealth, metrics: NodeMetrics
    ) {
      self.userID = userID
      self.address = address
      self.agentPort = agentPort
      self.serverType = serverType
      self.location = location
      self.cloudServerID = cloudServerID
      self.health = health
      self.metrics = metrics
    }
  }

  /// Adopts a running machine this service did not create; it is never deleted here.
  public func register(_ registration: Registration) throws(BrokerError) -> Node {
    let userID = try Validation.identifier(registration.userID, field: "user_id")
    let address = try Validation.address(registration.address)
    guard let size = try Validation.serverType(registration.serverType, field: "server_type")
    else {
      throw BrokerError(.invalidArgument, "server_type is required (e.g. cx22)")
    }
    guard (1...65535).contains(registration.agentPort) else {
      throw BrokerError(.invalidArgument, "agent_port \(registration.agentPort) is not 1-65535")
    }
    let location = try Validation.location(registration.location, field: "location") ?? ""

    let node = Node(
      id: Identifiers.newNodeID(), userID: userID, state: .running, serverType: size,
      location: location, address: address, agentPort: registration.agentPort,
      cloudServerID: registration.cloudServerID, provisioned: false,
      health: registration.health == .unknown ? .healthy : registration.health,
      metrics: registration.metrics, createdAtMs: self.clock.nowMs())
    let stored = try Storage.run { () throws in try self.store.insertAdopted(node) }
    self.logger.info(
      "node registered",
      [
        "node.id": stored.id, "user.id": userID, "server.type": size, "location": location,
      ])
    return stored
  }

  public func report(nodeID: String, health: NodeHealth?, metrics: NodeMetrics?)
    throws(BrokerError) -> Node
  {
    let id = try Validation.identifier(nodeID, field: "node_id")
    let current = try self.node(id: id)
    guard !current.state.isTerminal else {
      throw BrokerError(
        .failedPrecondition,
        "node \(id) is \(current.state.rawValue); it takes no status reports")
    }
    let updated = try Storage.run { () throws in
      try self.store.updateStatus(
        nodeID: id, health: health, metrics: metrics, nowMs: self.clock.nowMs())
    }
    guard let updated else {
      throw BrokerError(.notFound, "no node with id \(id)")
    }
    return updated
  }

  public func release(nodeID: String, taskID: String) throws(BrokerError) -> Node {
    let id = try Validation.identifier(nodeID, field: "node_id")
    let task = try Validation.identifier(taskID, field: "task_id")
    let outcome = try Storage.run { () throws in
      try self.store.release(nodeID: id, taskID: task, nowMs: self.clock.nowMs())
    }
    switch outcome {
    case .released(let node):
      self.logger.debug(
        "task released",
        [
          "node.id": id, "task.id": task, "state": node.state.rawValue,
        ])
      return node
    case .notAssigned:
      throw BrokerError(.notFound, "task \(task) has no open assignment on node \(id)")
    case .nodeNotFound:
      throw BrokerError(.notFound, "no node with id \(id)")
    }
  }

  public func node(id: String) throws(BrokerError) -> Node {
    let id = try Validation.identifier(id, field: "node_id")
    guard let node = try Storage.run({ () throws in try self.store.node(id: id) }) else {
      throw BrokerError(.notFound, "no node with id \(id)")
    }
    return node
  }

  /// One page of nodes ordered by id, and the token for the next page (nil on the last).
  public struct NodePage: Sendable, Equatable {
    public var nodes: [Node]
    public var nextPageToken: String?
  }

  public static let defaultPageSize = 500
  public static let maxPageSize = 1_000

  /// Lists nodes a page at a time. `pageSize` 0 means ``defaultPageSize``; the token is the
  /// last id of the previous page (opaque to callers).
  public func nodes(
    userID: String?, includeTerminal: Bool, pageSize: Int = 0, pageToken: String? = nil
  ) throws(BrokerError) -> NodePage {
    let user = try Validation.optionalIdentifier(userID, field: "user_id")
    let after = try Validation.optionalIdentifier(pageToken, field: "page_token")
    guard (0...Self.maxPageSize).contains(pageSize) else {
      throw BrokerError(
        .invalidArgument, "page_size \(pageSize) is out of range 0-\(Self.maxPageSize)")
    }
    let limit = pageSize == 0 ? Self.defaultPageSize : pageSize

    var nodes = try Storage.run { () throws in
      try self.store.nodes(
        userID: user, includeTerminal: includeTerminal, afterID: after, limit: limit + 1)
    }
    var next: String?
    if nodes.count > limit {
      nodes.removeLast(nodes.count - limit)
      next = nodes.last?.id
    }
    return NodePage(nodes: nodes, nextPageToken: next)
  }

  /// Destroys (provisioned) or forgets (adopted) a node. Refuses while tasks are assigned
  /// unless `force`.
  public func destroy(nodeID: String, force: Bool) throws(BrokerError) -> Node {
    func busy(_ node: Node) -> BrokerError {
      BrokerError(
        .failedPrecondition,
        "node \(node.id) has \(node.workspaces) task(s) assigned; release them or set force")
    }
    let node = try self.node(id: nodeID)
    guard force || node.workspaces == 0 else {
      throw busy(node)
    }
    let result = try Storage.run { () throws in
      try self.provisioner.destroy(node.id, reason: "DestroyNode", force: force)
    }
    guard let result else {
      throw BrokerError(.notFound, "no node with id \(node.id)")
    }
    // Lost to a task assigned after the first check: refuse as if it had been there.
    guard force || result.state.isTerminal || result.state == .destroying else {
      throw busy(result)
    }
    return result
  }
}
