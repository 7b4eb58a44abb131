import Foundation

/// Renders a bench run as a table for people and as one JSON object for scripts.
struct BenchReport {
  let plan: BenchPlan
  let target: String
  let fleet: String
  let phases: [BenchPhaseResult]

  var text: String {
    var lines = [
      "bench: \(self.plan.concurrency) calls in flight (one thread each) on"
        + " \(self.plan.channels) channel(s) to \(self.target); \(self.window)",
      "fleets: \(self.fleet)",
      "clock: CLOCK_MONOTONIC around each call (request encode to response decode);"
        + " daemon CPU: /proc/<pid>/stat utime+stime"
        + (self.plan.serverPID.map { " (pid \($0))" } ?? " (not given: --server-pid)")
        + "; client CPU: getrusage",
      "",
      "phase              calls   calls/s       p50       p90       p99       max"
        + "  srv CPU/call  cli CPU/call  not as expected",
    ]
    for phase in self.phases {
      lines.append(self.row(phase))
      if !phase.methods.isEmpty {
        lines.append("  how: " + Self.counts(phase.methods))
      }
      if phase.scenario == .selectWarm {
        lines.append(
          "  releases p50 \(Self.duration(phase.percentile(0.5, of: phase.releaseLatencies)))"
            + " p99 \(Self.duration(phase.percentile(0.99, of: phase.releaseLatencies)));"
            + " warm claims/s \(Self.rate(phase, method: "warm_claim"));"
            + " double claims \(phase.doubleClaims)")
      }
    }
    lines += self.comparisons()
    return lines.joined(separator: "\n")
  }

  var json: JSONValue {
    .object([
      ("target", .string(self.target)),
      ("concurrency", .integer(Int64(self.plan.concurrency))),
      ("channels", .integer(Int64(self.plan.channels))),
      ("nodes", .integer(Int64(self.plan.nodes))),
      ("phases", .array(self.phases.map(Self.json))),
    ])
  }

  private var window: String {
    let warmup = "after \(self.plan.warmupMs) ms warm-up"
    if let calls = self.plan.calls {
      return "\(calls) calls per phase \(warmup)"
    }
    return "\(self.plan.durationMs ?? 0) ms per phase \(warmup)"
  }

  private func row(_ phase: BenchPhaseResult) -> String {
    let errors = phase.errors
    return [
      phase.scenario.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0),
      Self.right(String(phase.calls), 7),
      Self.right(String(format: "%.1f", phase.callsPerSecond), 9),
      Self.right(Self.duration(phase.percentile(0.5)), 9),
      Self.right(Self.duration(phase.percentile(0.9)), 9),
      Self.right(Self.duration(phase.percentile(0.99)), 9),
      Self.right(Self.duration(phase.latencies.last ?? 0), 9),
      Self.right(phase.serverCPUPerCall.map(Self.duration) ?? "-", 13),
      Self.right(phase.clientCPUPerCall.map(Self.duration) ?? "-", 13),
      "  " + (errors.isEmpty ? "none" : Self.counts(errors)),
    ].joined(separator: " ")
  }

  /// Each SelectNode phase against the health phase nearest before it (else the first).
  private func comparisons() -> [String] {
    var lines: [String] = []
    for (index, phase) in self.phases.enumerated() where phase.scenario != .health {
      let earlier = self.phases[..<index].last { $0.scenario == .health }
      guard let health = earlier ?? self.phases.first(where: { $0.scenario == .health }),
        health.callsPerSecond > 0
      else { continue }
      if lines.isEmpty {
        lines += ["", "against Health/Check in the same run:"]
      }
      let ratio = phase.callsPerSecond / health.callsPerSecond
      let delta = Int64(phase.percentile(0.5)) - Int64(health.percentile(0.5))
      lines.append(
        "  \(phase.scenario.rawValue): \(String(format: "%.2f", ratio))x the calls/s,"
          + " p50 \(delta >= 0 ? "+" : "-")\(Self.duration(UInt64(abs(delta))))")
    }
    return lines
  }

  private static func json(_ phase: BenchPhaseResult) -> JSONValue {
    func ns(_ value: UInt64?) -> JSONValue {
      value.map { .integer(Int64($0)) } ?? .null
    }
    return .object([
      ("phase", .string(phase.scenario.rawValue)),
      ("calls", .integer(Int64(phase.calls))),
      ("seconds", .number(phase.seconds)),
      ("calls_per_second", .number(phase.callsPerSecond)),
      ("p50_ns", ns(phase.percentile(0.5))),
      ("p90_ns", ns(phase.percentile(0.9))),
      ("p99_ns", ns(phase.percentile(0.99))),
      ("max_ns", ns(phase.latencies.last ?? 0)),
      ("server_cpu_per_call_ns", ns(phase.serverCPUPerCall)),
      ("client_cpu_per_call_ns", ns(phase.clientCPUPerCall)),
      (
        "statuses",
        .object(
          phase.codes.sorted { $0.key < $1.key }.map {
            ($0.key, .integer(Int64($0.value)))
          })
      ),
      (
        "methods",
        .object(
          phase.methods.sorted { $0.key < $1.key }.map {
            ($0.key, .integer(Int64($0.value)))
          })
      ),
      ("double_claims", .integer(Int64(phase.doubleClaims))),
    ])
  }

  private static func rate(_ phase: BenchPhaseResult, method: String) -> String {
    let count = Double(phase.methods[method] ?? 0)
    return String(format: "%.1f", phase.seconds > 0 ? count / phase.seconds : 0)
  }

  private static func counts(_ counts: [String: Int]) -> String {
    counts.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }
      .joined(separator: ", ")
  }

  private static func right(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
  }

  /// "812 us", "1.94 ms": three significant figures.
  static func duration(_ nanoseconds: UInt64) -> String {
    let value = Double(nanoseconds)
    switch value {
    case ..<1_000: return "\(nanoseconds) ns"
    case ..<1_000_000: return String(format: value < 100_000 ? "%.1f us" : "%.0f us", value / 1e3)
    case ..<1_000_000_000: return String(format: "%.2f ms", value / 1e6)
    default: return String(format: "%.2f s", value / 1e9)
    }
  }
}
