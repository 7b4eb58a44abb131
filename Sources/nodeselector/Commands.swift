import GRPCBridge
import NodeSelectorMessages

/// The commands that change a node: select, release, report, register. The read-only and
/// destructive ones are in `Commands+Inventory.swift`.
enum Commands {
  static let all: [CommandSpec] = [
    select, release, report, register, get, list, destroy, health, bench,
  ]

  static let select = CommandSpec(
    name: "select",
    summary: "pick, claim or provision a node for a user's task",
    details: """
      Claims an idle warm node of the user if one fits, else chooses the least-loaded
      healthy running node with room, else (only with --provision) creates a new server.
      The task id is the key: repeating the call with the same --task returns the same node
      (how: existing_assignment) and never provisions twice. Without --task the answer is
      advice only: a node is named but nothing is claimed, assigned or provisioned.
      Provisioning with --wait can take minutes: raise --timeout (e.g. --timeout 5m).
      """,
    flags: [
      .value("user", "USER", "the user the node belongs to", required: true),
      .value("task", "TASK", "the task to assign; leave out for advice only"),
      .value("size", "TYPE", "preferred server type, e.g. cx22; also used to provision"),
      .value("location", "LOC", "preferred location, e.g. fsn1; tried first to provision"),
      .toggle("provision", "create a new server when nothing fits (costs money)"),
      .toggle("wait", "return a provisioned node only once it is running and healthy"),
    ],
    prepare: { flags throws(UsageError) in
      var request = SelectNodeRequest()
      request.userID = try flags.required("user")
      request.taskID = flags.string("task") ?? ""
      request.preferredSize = flags.string("size") ?? ""
      request.preferredLocation = flags.string("location") ?? ""
      request.allowProvision = flags.toggle("provision")
      request.waitUntilReady = flags.toggle("wait")
      return { client throws(RPCError) in
        let response = try client.call(NodeSelectorRPC.selectNode, request)
        return CommandOutput(
          text: TextOutput.selection(response), json: JSONOutput.selection(response))
      }
    })

  static let release = CommandSpec(
    name: "release",
    summary: "end a task's assignment on a node",
    details: """
      Ends the assignment of --task on --node. When it was the node's last assignment the
      node becomes warm: it waits, idle, to be claimed by the user's next task.
      """,
    flags: [
      .value("node", "NODE", "the node's id", required: true),
      .value("task", "TASK", "the task whose assignment ends", required: true),
    ],
    prepare: { flags throws(UsageError) in
      var request = ReleaseNodeRequest()
      request.nodeID = try flags.required("node")
      request.taskID = try flags.required("task")
      return { client throws(RPCError) in
        let response = try client.call(NodeSelectorRPC.releaseNode, request)
        return CommandOutput(
          text: "released task \(request.taskID)\n" + TextOutput.node(response.node),
          json: JSONOutput.nodeResponse(response.node))
      }
    })

  static let report = CommandSpec(
    name: "report",
    summary: "report a node's health and load figures",
    details: """
      Stores what a node agent measured. Health left out keeps the stored health; figures
      left out keep the stored metrics as a whole. Give at least one flag besides --node.
      """,
    flags: [
      .value("node", "NODE", "the node's id", required: true),
      .toggle("healthy", "the node answers and can take work"),
      .toggle("unhealthy", "the node is sick; selection passes it over"),
    ] + MetricsFlags.specs,
    prepare: { flags throws(UsageError) in
      var request = ReportNodeStatusRequest()
      request.nodeID = try flags.required("node")
      request.health = try Self.health(flags)
      request.metrics = try MetricsFlags.metrics(flags)
      guard request.health != .unknown || request.metrics != nil else {
        throw UsageError(
          "report: nothing to report; give --healthy, --unhealthy, --cpu, --load or --memory",
          command: "report")
      }
      return { client throws(RPCError) in
        let response = try client.call(NodeSelectorRPC.reportNodeStatus, request)
        return CommandOutput(
          text: TextOutput.node(response.node), json: JSONOutput.nodeResponse(response.node))
      }
    })

  static let register = CommandSpec(
    name: "register",
    summary: "adopt a machine this service did not create",
    details: """
      Registers an existing machine as a running node of --user. The service never deletes
      an adopted machine: destroy only forgets it. It is stored healthy unless --unhealthy.
      """,
    flags: [
      .value("user", "USER", "the user the node belongs to", required: true),
      .value("address", "ADDR", "where its node agent listens (IP or host name)", required: true),
      .value("size", "TYPE", "its server type, e.g. cx22 (sets its capacity)", required: true),
      .value("port", "PORT", "its node agent's HTTP port, 1-65535 (default 8080)"),
      .value("location", "LOC", "its location, e.g. fsn1"),
      .value("server-id", "ID", "its Hetzner server id, if it has one"),
    ] + MetricsFlags.specs + [
      .toggle("unhealthy", "register it as unhealthy")
    ],
    prepare: { flags throws(UsageError) in
      var request = RegisterNodeRequest()
      request.userID = try flags.required("user")
      request.address = try flags.required("address")
      request.serverType = try flags.required("size")
      let port = try flags.integer("port", in: 1...65_535, expected: "a port from 1 to 65535")
      request.agentPort = port.map { UInt32($0) } ?? 0
      request.location = flags.string("location") ?? ""
      request.cloudServerID =
        try flags.integer("server-id", in: 1...Int64.max, expected: "a positive whole number")
        ?? 0
      request.health = flags.toggle("unhealthy") ? .unhealthy : .unknown
      request.metrics = try MetricsFlags.metrics(flags)
      return { client throws(RPCError) in
        let response = try client.call(NodeSelectorRPC.registerNode, request)
        return CommandOutput(
          text: TextOutput.node(response.node), json: JSONOutput.nodeResponse(response.node))
      }
    })

  private static func health(_ flags: ParsedFlags) throws(UsageError) -> NodeHealth {
    switch (flags.toggle("healthy"), flags.toggle("unhealthy")) {
    case (true, true):
      throw UsageError("--healthy and --unhealthy exclude each other", command: flags.command)
    case (true, false): return .healthy
    case (false, true): return .unhealthy
    case (false, false): return .unknown
    }
  }
}
