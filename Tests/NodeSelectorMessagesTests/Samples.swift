import NodeSelectorMessages
import Testing

/// Messages with every field away from its default, for round-trip and truncation tests.
///
/// Strings include non-ASCII text and an empty element of a repeated field; numbers include
/// negatives and extremes; enums include numbers that the contract does not name.
enum Samples {
  static func gauge(_ value: Double) -> Gauge {
    with(Gauge()) { $0.value = value }
  }

  static let metrics = with(Metrics()) {
    $0.cpuPercent = gauge(42.5)
    $0.loadAverage1m = gauge(3.25)
    $0.memoryPercent = gauge(91)
  }

  static let node = with(Node()) {
    $0.id = "node-1"
    $0.userID = "user-ü"
    $0.state = .warm
    $0.serverType = "cx22"
    $0.location = "fsn1"
    $0.address = "127.0.0.2"
    $0.agentPort = 8080
    $0.cloudServerID = -1_234_567_890_123
    $0.provisioned = true
    $0.health = .healthy
    $0.metrics = metrics
    $0.workspaces = .max
    $0.failureReason = "agent never answered /health"
    $0.createdAtUnixMs = 1_700_000_000_000
    $0.updatedAtUnixMs = 1_700_000_000_500
    $0.warmSinceUnixMs = .max
  }

  static let failedNode = with(Node()) {
    $0.id = "node-2"
    $0.state = NodeState(rawValue: 42)
    $0.health = .unhealthy
  }

  static let consideration = with(Consideration()) {
    $0.nodeID = "node-1"
    $0.chosen = true
    $0.reasons = ["memory 91% >= 85%", "", "unhealthy"]
    $0.score = 0.25
  }

  static let explanation = with(Explanation()) {
    $0.summary = "1/2 nodes fit: 1 unhealthy"
    $0.considered = [
      consideration,
      with(Consideration()) {
        $0.nodeID = "node-2"
        $0.reasons = ["unhealthy"]
      },
    ]
  }

  static let requests: [any WireMessage] = [
    with(SelectNodeRequest()) {
      $0.userID = "user-1"
      $0.taskID = "task-1"
      $0.preferredSize = "cx32"
      $0.preferredLocation = "nbg1"
      $0.allowProvision = true
      $0.waitUntilReady = true
    },
    with(ReleaseNodeRequest()) {
      $0.nodeID = "node-1"
      $0.taskID = "task-1"
    },
    with(ReportNodeStatusRequest()) {
      $0.nodeID = "node-1"
      $0.health = NodeHealth(rawValue: -3)
      $0.metrics = metrics
    },
    with(RegisterNodeRequest()) {
      $0.userID = "user-1"
      $0.address = "127.0.0.3"
      $0.agentPort = 9000
      $0.serverType = "cpx41"
      $0.location = "hel1"
      $0.cloudServerID = .max
      $0.health = .unhealthy
      $0.metrics = metrics
    },
    with(GetNodeRequest()) { $0.nodeID = "node-1" },
    with(ListNodesRequest()) {
      $0.userID = "user-1"
      $0.includeTerminal = true
    },
    with(DestroyNodeRequest()) {
      $0.nodeID = "node-1"
      $0.force = true
    },
    with(HealthCheckRequest()) { $0.service = "nodeselector.v1.NodeSelector" },
  ]

  static let responses: [any WireMessage] = [
    with(SelectNodeResponse()) {
      $0.node = node
      $0.method = SelectionMethod(rawValue: 99)
      $0.explanation = explanation
    },
    with(ReleaseNodeResponse()) { $0.node = node },
    with(ReportNodeStatusResponse()) { $0.node = node },
    with(RegisterNodeResponse()) { $0.node = node },
    with(GetNodeResponse()) { $0.node = failedNode },
    with(ListNodesResponse()) { $0.nodes = [node, failedNode, Node()] },
    with(DestroyNodeResponse()) { $0.node = node },
    with(HealthCheckResponse()) { $0.status = .notServing },
  ]

  /// One message of each type with every field set.
  static let allFieldsSet: [any WireMessage] =
    [gauge(-0.5), metrics, node, consideration, explanation] + requests + responses

  /// One message of each type with every field at its default.
  static let defaults: [any WireMessage] = [
    Gauge(), Metrics(), Node(), Consideration(), Explanation(), SelectNodeRequest(),
    SelectNodeResponse(), ReleaseNodeRequest(), ReleaseNodeResponse(),
    ReportNodeStatusRequest(), ReportNodeStatusResponse(), RegisterNodeRequest(),
    RegisterNodeResponse(), GetNodeRequest(), GetNodeResponse(), ListNodesRequest(),
    ListNodesResponse(), DestroyNodeRequest(), DestroyNodeResponse(), HealthCheckRequest(),
    HealthCheckResponse(),
  ]
}

/// `value` after `change`, so that a sample reads as one expression.
func with<Value>(_ value: Value, _ change: (inout Value) -> Void) -> Value {
  var value = value
  change(&value)
  return value
}

/// A message as a test argument, shown by its type name.
struct MessageCase: Sendable, CustomTestStringConvertible {
  let message: any WireMessage

  var testDescription: String { String(describing: type(of: self.message)) }

  static func cases(_ messages: [any WireMessage]) -> [MessageCase] {
    messages.map(MessageCase.init(message:))
  }
}
