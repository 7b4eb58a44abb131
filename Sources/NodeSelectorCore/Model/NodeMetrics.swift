/// Load figures reported for a node. Every figure is optional: `nil` means "not reported".
///
/// Figures arrive from outside and are untrusted. Build values with
/// ``init(cpuPercent:loadAverage1m:memoryPercent:)``, which drops anything that is not a
/// finite, non-negative number (and, for percents, not over 100), so no NaN ever reaches a
/// score or a threshold comparison.
public struct NodeMetrics: Sendable, Equatable, Codable {
  /// Whole-machine CPU use, 0...100.
  public let cpuPercent: Double?
  /// The 1-minute load average; divide by vCPUs to compare with a percent threshold.
  public let loadAverage1m: Double?
  /// Memory use, 0...100.
  public let memoryPercent: Double?

  public static let none = NodeMetrics(cpuPercent: nil, loadAverage1m: nil, memoryPercent: nil)

  public init(cpuPercent: Double?, loadAverage1m: Double?, memoryPercent: Double?) {
    self.cpuPercent = Self.percent(cpuPercent)
    self.loadAverage1m = Self.nonNegative(loadAverage1m)
    self.memoryPercent = Self.percent(memoryPercent)
  }

  private enum CodingKeys: String, CodingKey {
    case cpuPercent
    case loadAverage1m
    case memoryPercent
  }

  /// Decodes through the validating init: the synthesized decoder would let a negative or
  /// over-100 figure through. A figure of the wrong type (a string, an object) is dropped
  /// like any other bad figure instead of failing the whole value.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    func figure(_ key: CodingKeys) -> Double? {
      (try? container.decodeIfPresent(Double.self, forKey: key)) ?? nil
    }
    self.init(
      cpuPercent: figure(.cpuPercent),
      loadAverage1m: figure(.loadAverage1m),
      memoryPercent: figure(.memoryPercent)
    )
  }

  /// True when no figure survived validation.
  public var isEmpty: Bool {
    self.cpuPercent == nil && self.loadAverage1m == nil && self.memoryPercent == nil
  }

  /// The CPU figure as a percent of the whole machine, or nil when unknown.
  ///
  /// A reported percent is taken as is. Otherwise the load average is divided by the vCPU
  /// count, so 3.0 on 4 vCPUs is 75% and 3.0 on 2 vCPUs is 150% (over any threshold).
  public func cpuUtilisation(vcpus: Int?) -> Double? {
    if let cpuPercent = self.cpuPercent {
      return cpuPercent
    }
    guard let load = self.loadAverage1m, let vcpus, vcpus > 0 else {
      return nil
    }
    return load / Double(vcpus) * 100
  }

  /// Keeps values later fields did not report: a report with only memory keeps the old CPU.
  public func merged(with newer: NodeMetrics) -> NodeMetrics {
    NodeMetrics(
      cpuPercent: newer.cpuPercent ?? self.cpuPercent,
      loadAverage1m: newer.loadAverage1m ?? self.loadAverage1m,
      memoryPercent: newer.memoryPercent ?? self.memoryPercent
    )
  }

  private static func nonNegative(_ value: Double?) -> Double? {
    guard let value, value.isFinite, value >= 0 else {
      return nil
    }
    return value
  }

  private static func percent(_ value: Double?) -> Double? {
    guard let value = nonNegative(value), value <= 100 else {
      return nil
    }
    return value
  }
}
