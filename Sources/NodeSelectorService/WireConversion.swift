import NodeSelectorCore
import NodeSelectorMessages
import Provisioning

/// Domain values to wire messages and back. Names collide between the two modules (Node,
/// NodeState, Explanation...), so this file spells the module out where it matters.
enum WireConversion {
  static func node(_ node: NodeSelectorCore.Node) -> NodeSelectorMessages.Node {
    var wire = NodeSelectorMessages.Node()
    wire.id = node.id
    wire.userID = node.userID
    wire.state = self.state(node.state)
    wire.serverType = node.serverType
    wire.location = node.location
    wire.address = node.address
    wire.agentPort = UInt32(clamping: node.agentPort)
    wire.cloudServerID = node.cloudServerID ?? 0
    wire.provisioned = node.provisioned
    wire.health = self.health(node.health)
    wire.metrics = node.metrics.isEmpty ? nil : self.metrics(node.metrics)
    wire.workspaces = UInt32(clamping: node.workspaces)
    wire.failureReason = node.failureReason ?? ""
    wire.createdAtUnixMs = node.createdAtMs
    wire.updatedAtUnixMs = node.updatedAtMs
    wire.warmSinceUnixMs = node.warmSinceMs ?? 0
    return wire
  }

  static func state(_ state: NodeSelectorCore.NodeState) -> NodeSelectorMessages.NodeState {
    switch state {
    case .creating: .creating
    case .booting: .booting
    case .running: .running
    case .warm: .warm
    case .destroying: .destroying
    case .stopped: .stopped
    case .failed: .failed
    }
  }

  static func health(_ health: NodeSelectorCore.NodeHealth) -> NodeSelectorMessages.NodeHealth {
    switch health {
    case .unknown: .unknown
    case .healthy: .healthy
    case .unhealthy: .unhealthy
    }
  }

  /// Wire health to domain health; UNKNOWN and unrecognised numbers mean "not reported".
  static func health(_ health: NodeSelectorMessages.NodeHealth) -> NodeSelectorCore.NodeHealth? {
    switch health {
    case .healthy: .healthy
    case .unhealthy: .unhealthy
    default: nil
    }
  }

  static func metrics(_ metrics: NodeMetrics) -> Metrics {
    var wire = Metrics()
    wire.cpuPercent = metrics.cpuPercent.map(self.gauge)
    wire.loadAverage1m = metrics.loadAverage1m.map(self.gauge)
    wire.memoryPercent = metrics.memoryPercent.map(self.gauge)
    return wire
  }

  /// Untrusted figures in, validated figures out (``NodeMetrics`` drops bad values).
  static func metrics(_ wire: Metrics?) -> NodeMetrics? {
    guard let wire else {
      return nil
    }
    return NodeMetrics(
      cpuPercent: wire.cpuPercent?.value, loadAverage1m: wire.loadAverage1m?.value,
      memoryPercent: wire.memoryPercent?.value)
  }

  static func explanation(_ explanation: NodeSelectorCore.Explanation)
    -> NodeSelectorMessages.Explanation
  {
    var wire = NodeSelectorMessages.Explanation()
    wire.summary = explanation.summary
    // Most nodes share a handful of reasons; format each distinct one once.
    var phrases: [Rejection: String] = [:]
    wire.considered = explanation.considered.map { consideration in
      var item = NodeSelectorMessages.Consideration()
      item.nodeID = consideration.nodeID
      item.chosen = consideration.chosen
      item.reasons = consideration.rejections.map { rejection in
        if let phrase = phrases[rejection] {
          return phrase
        }
        let phrase = rejection.description
        phrases[rejection] = phrase
        return phrase
      }
      item.score = consideration.score ?? 0
      return item
    }
    return wire
  }

  static func method(_ method: Provisioning.SelectionMethod)
    -> NodeSelectorMessages.SelectionMethod
  {
    switch method {
    case .warmClaim: .warmClaim
    case .existingCapacity: .existingCapacity
    case .provisioned: .provisioned
    case .existingAssignment: .existingAssignment
    }
  }

  private static func gauge(_ value: Double) -> Gauge {
    var gauge = Gauge()
    gauge.value = value
    return gauge
  }
}
