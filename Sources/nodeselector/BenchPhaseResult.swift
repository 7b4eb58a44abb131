/// The figures of one phase: throughput, latency percentiles, statuses, CPU per call.
struct BenchPhaseResult {
  let scenario: BenchPlan.Scenario
  let concurrency: Int
  let channels: Int
  /// Measured calls (the first call of each iteration; select-warm's releases apart).
  let calls: Int
  /// Sorted latencies of the measured calls, nanoseconds.
  let latencies: [UInt64]
  let releaseLatencies: [UInt64]
  /// Status name to count; failed releases appear as "release CODE".
  let codes: [String: Int]
  /// SelectionMethod name to count, for SelectNode phases.
  let methods: [String: Int]
  let doubleClaims: Int
  /// From the start of the measured window to the end of the last call.
  let seconds: Double
  /// CPU spent in the measured window; nil when the sampler never ran.
  let cpu: BenchCPU.Sample?

  init(
    scenario: BenchPlan.Scenario, concurrency: Int, channels: Int, tally: BenchPhase.Tally,
    seconds: Double, cpu: BenchCPU.Sample?
  ) {
    self.scenario = scenario
    self.concurrency = concurrency
    self.channels = channels
    self.calls = tally.latencies.count
    self.latencies = tally.latencies.sorted()
    self.releaseLatencies = tally.releaseLatencies.sorted()
    self.codes = tally.codes
    self.methods = tally.methods
    self.doubleClaims = tally.doubleClaims
    self.seconds = seconds
    self.cpu = cpu
  }

  var callsPerSecond: Double {
    self.seconds > 0 ? Double(self.calls) / self.seconds : 0
  }

  /// Nearest-rank percentile in nanoseconds; 0 without calls.
  func percentile(_ fraction: Double, of sorted: [UInt64]? = nil) -> UInt64 {
    let values = sorted ?? self.latencies
    guard !values.isEmpty else { return 0 }
    let rank = Int((fraction * Double(values.count)).rounded(.up))
    return values[min(max(rank, 1), values.count) - 1]
  }

  /// Calls that did not end with the scenario's expected status, by status.
  var errors: [String: Int] {
    self.codes.filter { $0.key != self.scenario.expectedCode }
  }

  /// Daemon CPU per measured call (select-warm: per claim plus its release), nanoseconds.
  var serverCPUPerCall: UInt64? {
    guard let server = self.cpu?.serverNs, self.calls > 0 else { return nil }
    return server / UInt64(self.calls)
  }

  var clientCPUPerCall: UInt64? {
    guard let client = self.cpu?.clientNs, self.calls > 0 else { return nil }
    return client / UInt64(self.calls)
  }
}
