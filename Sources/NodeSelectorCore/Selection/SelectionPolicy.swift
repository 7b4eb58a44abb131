/// The limits and weights one selection runs with.
///
/// Values are checked once, when the policy is built: a threshold outside (0, 100], a limit
/// under 1 or weights that are not finite, non-negative and summing to 1 are refused with a
/// ``PolicyError`` naming the field. Nothing is clamped or replaced, so a typo in a config
/// file fails loudly instead of quietly selecting with different rules.
public struct SelectionPolicy: Sendable, Equatable {
  /// A node whose CPU use (percent of the whole machine) is at or over this is full.
  public let cpuThresholdPercent: Double
  /// A node whose memory use (percent) is at or over this is full.
  public let memoryThresholdPercent: Double
  /// Open assignments a running node takes; at this count it is full.
  public let workspaceLimit: Int
  /// Nodes one user may hold in non-terminal states; enforced by provisioning, kept here
  /// so that every selection setting lives in one validated value.
  public let nodeLimit: Int
  /// Weight of CPU percent in the load score; see ``Scoring``.
  public let cpuWeight: Double
  /// Weight of memory percent in the load score.
  public let memoryWeight: Double

  /// 80% CPU, 85% memory, 10 workspaces, 10 nodes, score 0.4 x CPU + 0.6 x memory.
  public static let standard = SelectionPolicy(
    checkedCPUThreshold: 80, memoryThreshold: 85, workspaceLimit: 10, nodeLimit: 10,
    cpuWeight: 0.4, memoryWeight: 0.6
  )

  /// How far the two weights may stray from summing to exactly 1 (binary rounding).
  public static let weightSumTolerance = 1e-9

  /// Builds a policy, refusing any setting outside its range.
  ///
  /// - Throws: ``PolicyError`` for the first setting out of range, in parameter order.
  public init(
    cpuThresholdPercent: Double = 80,
    memoryThresholdPercent: Double = 85,
    workspaceLimit: Int = 10,
    nodeLimit: Int = 10,
    cpuWeight: Double = 0.4,
    memoryWeight: Double = 0.6
  ) throws(PolicyError) {
    try Self.checkThreshold(cpuThresholdPercent, field: .cpuThreshold)
    try Self.checkThreshold(memoryThresholdPercent, field: .memoryThreshold)
    try Self.checkLimit(workspaceLimit, field: .workspaceLimit)
    try Self.checkLimit(nodeLimit, field: .nodeLimit)
    try Self.checkWeight(cpuWeight, field: .cpuWeight)
    try Self.checkWeight(memoryWeight, field: .memoryWeight)

    let sum = cpuWeight + memoryWeight
    guard abs(sum - 1) <= Self.weightSumTolerance else {
      let values = "\(PolicyError.text(cpuWeight)) + \(PolicyError.text(memoryWeight))"
      throw PolicyError(
        field: .weights,
        message: "weights \(values) = \(PolicyError.text(sum)) must sum to 1"
      )
    }

    self.init(
      checkedCPUThreshold: cpuThresholdPercent, memoryThreshold: memoryThresholdPercent,
      workspaceLimit: workspaceLimit, nodeLimit: nodeLimit,
      cpuWeight: cpuWeight, memoryWeight: memoryWeight
    )
  }

  /// Stores values already known to be in range; only ``standard`` and the checking init.
  private init(
    checkedCPUThreshold: Double, memoryThreshold: Double, workspaceLimit: Int, nodeLimit: Int,
    cpuWeight: Double, memoryWeight: Double
  ) {
    self.cpuThresholdPercent = checkedCPUThreshold
    self.memoryThresholdPercent = memoryThreshold
    self.workspaceLimit = workspaceLimit
    self.nodeLimit = nodeLimit
    self.cpuWeight = cpuWeight
    self.memoryWeight = memoryWeight
  }

  private static func checkThreshold(
    _ value: Double, field: PolicyError.Field
  ) throws(PolicyError) {
    // Written so that NaN fails too: every comparison with NaN is false.
    guard value > 0, value <= 100 else {
      throw PolicyError(field: field, value: PolicyError.text(value), range: "(0, 100]")
    }
  }

  private static func checkLimit(_ value: Int, field: PolicyError.Field) throws(PolicyError) {
    guard value >= 1 else {
      throw PolicyError(field: field, value: String(value), range: "[1, \(Int.max)]")
    }
  }

  private static func checkWeight(_ value: Double, field: PolicyError.Field) throws(PolicyError) {
    guard value.isFinite, value >= 0, value <= 1 else {
      throw PolicyError(field: field, value: PolicyError.text(value), range: "[0, 1]")
    }
  }
}
