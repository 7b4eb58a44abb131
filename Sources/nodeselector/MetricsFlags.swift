import NodeSelectorMessages

/// The load-figure flags shared by `report` and `register`, and their reading into
/// ``Metrics``.
///
/// The daemon treats out-of-range figures as "not reported"; the CLI refuses them instead,
/// so a typo is an error the user sees rather than a figure silently dropped.
enum MetricsFlags {
  static let specs: [FlagSpec] = [
    .value("cpu", "PCT", "CPU use of the whole machine, percent 0-100"),
    .value("load", "AVG", "1-minute load average, >= 0"),
    .value("memory", "PCT", "memory use, percent 0-100"),
  ]

  /// Nil when none of the three flags was given; otherwise only the given figures are set.
  static func metrics(_ flags: ParsedFlags) throws(UsageError) -> Metrics? {
    let percent = "a percent from 0 to 100"
    let cpu = try flags.double("cpu", in: 0...100, expected: percent)
    let load = try flags.double(
      "load", in: 0...Double.greatestFiniteMagnitude, expected: "a number >= 0")
    let memory = try flags.double("memory", in: 0...100, expected: percent)
    guard cpu != nil || load != nil || memory != nil else { return nil }

    var metrics = Metrics()
    metrics.cpuPercent = cpu.map(Self.gauge)
    metrics.loadAverage1m = load.map(Self.gauge)
    metrics.memoryPercent = memory.map(Self.gauge)
    return metrics
  }

  private static func gauge(_ value: Double) -> Gauge {
    var gauge = Gauge()
    gauge.value = value
    return gauge
  }
}
