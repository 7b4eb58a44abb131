import GRPCBridge
import NodeSelectorMessages

/// Turns response messages into JSON: the message as it is, with the proto's field names.
///
/// Deliberate differences from protobuf's canonical JSON mapping, chosen for shell scripts:
/// keys are the proto's snake_case names (`user_id`, not `userId`); enums are their lowercase
/// names without prefix (`running`, `existing_capacity`), or the number when this build does
/// not know it; int64 fields are numbers, not strings; a ``Gauge`` is its plain number;
/// every scalar is written even at its default, and only unset message fields are left out.
enum JSONOutput {
  static func node(_ node: Node) -> JSONValue {
    var members: [(String, JSONValue)] = [
      ("id", .string(node.id)),
      ("user_id", .string(node.userID)),
      ("state", self.enumName(node.state, node.state.rawValue)),
      ("server_type", .string(node.serverType)),
      ("location", .string(node.location)),
      ("address", .string(node.address)),
      ("agent_port", .integer(Int64(node.agentPort))),
      ("cloud_server_id", .integer(node.cloudServerID)),
      ("provisioned", .bool(node.provisioned)),
      ("health", self.enumName(node.health, node.health.rawValue)),
    ]
    if let metrics = node.metrics {
      members.append(("metrics", self.metrics(metrics)))
    }
    members += [
      ("workspaces", .integer(Int64(node.workspaces))),
      ("failure_reason", .string(node.failureReason)),
      ("created_at_unix_ms", .integer(node.createdAtUnixMs)),
      ("updated_at_unix_ms", .integer(node.updatedAtUnixMs)),
      ("warm_since_unix_ms", .integer(node.warmSinceUnixMs)),
    ]
    return .object(members)
  }

  static func metrics(_ metrics: Metrics) -> JSONValue {
    let gauges: [(String, Gauge?)] = [
      ("cpu_percent", metrics.cpuPercent),
      ("load_average_1m", metrics.loadAverage1m),
      ("memory_percent", metrics.memoryPercent),
    ]
    return .object(gauges.compactMap { name, gauge in gauge.map { (name, .number($0.value)) } })
  }

  /// `{"node": ...}`: the shape of every response that carries just a node.
  static func nodeResponse(_ node: Node?) -> JSONValue {
    .object(node.map { [("node", self.node($0))] } ?? [])
  }

  static func selection(_ response: SelectNodeResponse) -> JSONValue {
    var members: [(String, JSONValue)] = []
    if let node = response.node {
      members.append(("node", self.node(node)))
    }
    members.append(("method", self.enumName(response.method, response.method.rawValue)))
    if let explanation = response.explanation {
      members.append(("explanation", self.explanation(explanation)))
    }
    return .object(members)
  }

  static func explanation(_ explanation: Explanation) -> JSONValue {
    let considered = explanation.considered.map { consideration -> JSONValue in
      .object([
        ("node_id", .string(consideration.nodeID)),
        ("chosen", .bool(consideration.chosen)),
        ("reasons", .array(consideration.reasons.map { .string($0) })),
        ("score", .number(consideration.score)),
      ])
    }
    return .object([
      ("summary", .string(explanation.summary)),
      ("considered", .array(considered)),
    ])
  }

  static func list(_ response: ListNodesResponse) -> JSONValue {
    .object([("nodes", .array(response.nodes.map(self.node)))])
  }

  static func health(_ response: HealthCheckResponse) -> JSONValue {
    .object([("status", self.enumName(response.status, response.status.rawValue))])
  }

  /// `{"error": {"code": "NOT_FOUND", "message": "..."}}`, printed on stdout with `--json`.
  static func error(_ error: RPCError) -> JSONValue {
    .object([
      (
        "error",
        .object([
          ("code", .string(error.code.description)),
          ("message", .string(error.message)),
        ])
      )
    ])
  }

  /// The generated enums describe a known value by its lowercase name and an unknown one as
  /// "Type(<n>)"; the latter becomes the bare number, as protobuf's JSON mapping does.
  static func enumName(_ value: some CustomStringConvertible, _ rawValue: Int32) -> JSONValue {
    let name = value.description
    return name.hasSuffix(")") ? .integer(Int64(rawValue)) : .string(name)
  }
}
