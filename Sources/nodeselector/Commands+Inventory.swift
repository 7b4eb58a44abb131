import GRPCBridge
import NodeSelectorMessages

/// The commands that read the inventory or end a node's life: get, list, destroy, health.
extension Commands {
  static let get = CommandSpec(
    name: "get",
    summary: "show one node",
    details: "Shows everything the daemon stores about one node, timestamps included.",
    flags: [.value("node", "NODE", "the node's id", required: true)],
    prepare: { flags throws(UsageError) in
      var request = GetNodeRequest()
      request.nodeID = try flags.required("node")
      return { client throws(RPCError) in
        let response = try client.call(NodeSelectorRPC.getNode, request)
        return CommandOutput(
          text: TextOutput.node(response.node, detailed: true),
          json: JSONOutput.nodeResponse(response.node))
      }
    })

  static let list = CommandSpec(
    name: "list",
    summary: "list nodes, one per line",
    details: """
      Lists the nodes of --user, or of every user, following every page. Stopped and failed
      nodes are left out unless --all is given.
      """,
    flags: [
      .value("user", "USER", "only this user's nodes (default: every user)"),
      .toggle("all", "include stopped and failed nodes"),
    ],
    prepare: { flags throws(UsageError) in
      var request = ListNodesRequest()
      request.userID = flags.string("user") ?? ""
      request.includeTerminal = flags.toggle("all")
      return { client throws(RPCError) in
        // Follow every page, so the listing is whole however large the fleet.
        var all = ListNodesResponse()
        repeat {
          let page = try client.call(NodeSelectorRPC.listNodes, request)
          all.nodes += page.nodes
          request.pageToken = page.nextPageToken
        } while !request.pageToken.isEmpty
        return CommandOutput(text: TextOutput.table(all.nodes), json: JSONOutput.list(all))
      }
    })

  static let destroy = CommandSpec(
    name: "destroy",
    summary: "delete a node's cloud server, or forget an adopted node",
    details: """
      Deletes the cloud server of a node this service provisioned; an adopted node is only
      forgotten (stopped). Refused while tasks are assigned to the node, unless --force.
      """,
    flags: [
      .value("node", "NODE", "the node's id", required: true),
      .toggle("force", "destroy even while tasks are assigned"),
    ],
    prepare: { flags throws(UsageError) in
      var request = DestroyNodeRequest()
      request.nodeID = try flags.required("node")
      request.force = flags.toggle("force")
      return { client throws(RPCError) in
        let response = try client.call(NodeSelectorRPC.destroyNode, request)
        return CommandOutput(
          text: TextOutput.node(response.node), json: JSONOutput.nodeResponse(response.node))
      }
    })

  static let health = CommandSpec(
    name: "health",
    summary: "ask the daemon whether it is serving (grpc.health.v1)",
    details: """
      Calls grpc.health.v1.Health/Check. Exits 0 when the answer is serving and 1 for any
      other answer (not_serving while the daemon drains), so scripts can wait on it.
      An unknown --service name gives NOT_FOUND.
      """,
    flags: [
      .value("service", "NAME", "e.g. nodeselector.v1.NodeSelector (default: the whole daemon)")
    ],
    prepare: { flags throws(UsageError) in
      var request = HealthCheckRequest()
      request.service = flags.string("service") ?? ""
      return { client throws(RPCError) in
        let response = try client.call(HealthRPC.check, request)
        let subject = request.service.isEmpty ? client.target : request.service
        return CommandOutput(
          text: "\(subject): \(response.status)",
          json: JSONOutput.health(response),
          exitCode: response.status == .serving ? 0 : 1)
      }
    })
}
