import GRPCBridge
import NodeSelectorCore
import NodeSelectorMessages
import Provisioning
import StructuredLog

/// The `nodeselector.v1.NodeSelector` service and `grpc.health.v1.Health`, bound to a
/// ``GRPCServer``: messages in, broker use cases, messages out.
public struct NodeSelectorRPCService: Sendable {
  private let broker: Broker
  private let health: HealthService
  private let logger: Logger

  public init(broker: Broker, health: HealthService, logger: Logger) {
    self.broker = broker
    self.health = health
    self.logger = logger
  }

  /// Registers every method on `server`; call before `server.start()`.
  public func register(on server: GRPCServer) {
    let router = RPCRouter(server: server, logger: self.logger)
    let broker = self.broker
    let health = self.health

    router.route(HealthRPC.check) { request, _, _ throws(RPCError) in
      try health.check(request)
    }
    router.route(NodeSelectorRPC.selectNode) { request, context, log throws(RPCError) in
      try Self.selectNode(broker, request, context, log)
    }
    router.route(NodeSelectorRPC.releaseNode) { request, _, log throws(RPCError) in
      log.fields["node.id"] = request.nodeID
      log.fields["task.id"] = request.taskID
      var response = ReleaseNodeResponse()
      let node = try RPCRouter.broker { () throws(BrokerError) in
        try broker.release(nodeID: request.nodeID, taskID: request.taskID)
      }
      response.node = WireConversion.node(node)
      return response
    }
    router.route(NodeSelectorRPC.reportNodeStatus) { request, _, log throws(RPCError) in
      log.fields["node.id"] = request.nodeID
      let node = try RPCRouter.broker { () throws(BrokerError) in
        try broker.report(
          nodeID: request.nodeID, health: WireConversion.health(request.health),
          metrics: WireConversion.metrics(request.metrics))
      }
      var response = ReportNodeStatusResponse()
      response.node = WireConversion.node(node)
      return response
    }
    router.route(NodeSelectorRPC.registerNode) { request, _, log throws(RPCError) in
      log.fields["user.id"] = request.userID
      let node = try RPCRouter.broker { () throws(BrokerError) in
        try broker.register(Self.registration(request))
      }
      log.fields["node.id"] = node.id
      var response = RegisterNodeResponse()
      response.node = WireConversion.node(node)
      return response
    }
    self.registerLookups(router)
  }

  private func registerLookups(_ router: RPCRouter) {
    let broker = self.broker
    router.route(NodeSelectorRPC.getNode) { request, _, log throws(RPCError) in
      log.fields["node.id"] = request.nodeID
      let node = try RPCRouter.broker { () throws(BrokerError) in
        try broker.node(id: request.nodeID)
      }
      var response = GetNodeResponse()
      response.node = WireConversion.node(node)
      return response
    }
    router.route(NodeSelectorRPC.listNodes) { request, _, _ throws(RPCError) in
      let page = try RPCRouter.broker { () throws(BrokerError) in
        try broker.nodes(
          userID: request.userID.isEmpty ? nil : request.userID,
          includeTerminal: request.includeTerminal, pageSize: Int(request.pageSize),
          pageToken: request.pageToken.isEmpty ? nil : request.pageToken)
      }
      var response = ListNodesResponse()
      response.nodes = page.nodes.map(WireConversion.node)
      response.nextPageToken = page.nextPageToken ?? ""
      return response
    }
    router.route(NodeSelectorRPC.destroyNode) { request, _, log throws(RPCError) in
      log.fields["node.id"] = request.nodeID
      let node = try RPCRouter.broker { () throws(BrokerError) in
        try broker.destroy(nodeID: request.nodeID, force: request.force)
      }
      var response = DestroyNodeResponse()
      response.node = WireConversion.node(node)
      return response
    }
  }

  private static func selectNode(
    _ broker: Broker, _ request: SelectNodeRequest, _ context: ServerContext,
    _ log: RPCRouter.CallLog
  ) throws(RPCError) -> SelectNodeResponse {
    log.fields["user.id"] = request.userID
    log.fields["task.id"] = request.taskID
    let command = SelectCommand(
      request: SelectionRequest(
        userID: request.userID,
        taskID: request.taskID.isEmpty ? nil : request.taskID,
        preferredSize: request.preferredSize.isEmpty ? nil : request.preferredSize,
        preferredLocation: request.preferredLocation.isEmpty ? nil : request.preferredLocation),
      allowProvision: request.allowProvision, waitUntilReady: request.waitUntilReady)
    let budget = CallBudget.waitBudget(
      remainingMs: { context.remainingMilliseconds }, isCancelled: { context.isCancelled })
    let result = try RPCRouter.broker { () throws(BrokerError) in
      try broker.select(command, budget: budget)
    }

    log.fields["node.id"] = result.node.id
    log.fields["method"] = result.method.rawValue
    log.fields["summary"] = result.explanation.summary
    var response = SelectNodeResponse()
    response.node = WireConversion.node(result.node)
    response.method = WireConversion.method(result.method)
    response.explanation = WireConversion.explanation(result.explanation)
    return response
  }

  private static func registration(_ request: RegisterNodeRequest) -> Broker.Registration {
    Broker.Registration(
      userID: request.userID, address: request.address,
      agentPort: request.agentPort == 0 ? 8080 : Int(request.agentPort),
      serverType: request.serverType, location: request.location,
      cloudServerID: request.cloudServerID == 0 ? nil : request.cloudServerID,
      health: WireConversion.health(request.health) ?? .unknown,
      metrics: WireConversion.metrics(request.metrics) ?? .none)
  }
}
