/// One node's CPU and memory use as the filter and the score see them, computed once per
/// node per selection so that ranking thousands of nodes never recomputes them.
///
/// CPU is normalised: a reported percent is used as is, otherwise the 1-minute load average
/// is divided by the vCPUs of the node's server type (3.0 on 4 vCPUs is 75%, on 2 vCPUs
/// 150%). A figure that is missing, not finite or negative is nil ("no metrics" for that
/// figure). ``NodeMetrics`` already drops such values when built; the check is repeated
/// here because metrics come from outside and the score must never see a NaN.
struct LoadFigures: Sendable, Equatable {
  /// Percent of the whole machine; may exceed 100 when the load average does.
  let cpuPercent: Double?
  /// Percent, 0...100.
  let memoryPercent: Double?

  init(cpuPercent: Double?, memoryPercent: Double?) {
    self.cpuPercent = Self.usable(cpuPercent)
    self.memoryPercent = Self.usable(memoryPercent).flatMap { $0 <= 100 ? $0 : nil }
  }

  init(_ node: Node) {
    self.init(node.metrics, vcpus: node.size?.vcpus)
  }

  /// As ``init(_:)``, from the node's metrics and the vCPUs of its type, looked up by the
  /// caller (taking the metrics, not the node, spares a copy of the whole ``Node``).
  init(_ metrics: NodeMetrics, vcpus: Int?) {
    self.init(
      cpuPercent: metrics.cpuUtilisation(vcpus: vcpus),
      memoryPercent: metrics.memoryPercent
    )
  }

  /// True when neither figure is known: such a node ranks after every node with metrics.
  var isEmpty: Bool {
    self.cpuPercent == nil && self.memoryPercent == nil
  }

  private static func usable(_ value: Double?) -> Double? {
    guard let value, value.isFinite, value >= 0 else {
      return nil
    }
    return value
  }
}
