/// What `nodeselector bench` was asked to do, checked before any connection is made.
struct BenchPlan {
  /// One kind of call a phase sends, each against the fleet built for it.
  enum Scenario: String, CaseIterable {
    /// grpc.health.v1.Health/Check: the floor every other figure is compared with.
    case health
    /// SelectNode with a task id on N running nodes with room: filter, score, assign.
    case selectCapacity = "select-capacity"
    /// SelectNode without a task id on the same fleet: the read path alone, nothing written.
    case selectAdvice = "select-advice"
    /// SelectNode with a task id on N warm nodes, then ReleaseNode, which makes the node
    /// warm again; every thread wants the same best node, so claims contend.
    case selectWarm = "select-warm"
    /// SelectNode with a task id on N full nodes: FAILED_PRECONDITION with an explanation
    /// of every node is the expected answer.
    case selectNoFit = "select-nofit"
    /// ReportNodeStatus on the no-fit fleet's nodes in turn (keeps them full).
    case report

    /// The status a successful call of this scenario ends with.
    var expectedCode: String {
      self == .selectNoFit ? "FAILED_PRECONDITION" : "OK"
    }
  }

  var user: String
  var nodes: Int
  var scenarios: [Scenario]
  var concurrency: Int
  var channels: Int
  /// Measured time per phase; nil when `calls` bounds the phase instead.
  var durationMs: Int64?
  /// Measured calls per phase, spread over the threads; nil when `durationMs` bounds it.
  var calls: Int?
  /// Calls before the measured window, per phase, so caches and connections are warm.
  var warmupMs: Int64
  /// The daemon's process id, to read its CPU time; nil when it is not on this machine.
  var serverPID: Int32?

  static let flags: [FlagSpec] = [
    .value("user", "USER", "name the fleets after USER (default: bench-<random>)"),
    .value("nodes", "N", "nodes in each fleet (default 1000)"),
    .value(
      "mix", "LIST",
      "phases, in order (default: health,select-capacity,select-advice,select-warm,"
        + "select-nofit,report,health)"),
    .value("concurrency", "C", "calls in flight: one thread each (default 16)"),
    .value("channels", "N", "gRPC channels the threads share (default: one per thread)"),
    .value("duration", "DURATION", "measured time per phase (default 5s)"),
    .value("calls", "N", "measured calls per phase instead of a duration"),
    .value("warmup", "DURATION", "unmeasured calls before each phase (default 500ms)"),
    .value("server-pid", "PID", "the daemon's pid, to report its CPU time per call"),
  ]

  init(flags: ParsedFlags) throws(UsageError) {
    self.user = flags.string("user") ?? "bench-\(UInt32.random(in: 0...UInt32.max))"
    self.nodes = Int(try flags.integer("nodes", in: 1...200_000, expected: "1 to 200000") ?? 1_000)
    let mix =
      flags.string("mix")
      ?? "health,select-capacity,select-advice,select-warm,select-nofit,report,health"
    self.scenarios = try mix.split(separator: ",").map { name throws(UsageError) in
      guard let scenario = Scenario(rawValue: String(name)) else {
        let known = Scenario.allCases.map(\.rawValue).joined(separator: ", ")
        throw UsageError("--mix: unknown phase '\(name)' (known: \(known))", command: "bench")
      }
      return scenario
    }
    self.concurrency = Int(
      try flags.integer("concurrency", in: 1...1_024, expected: "1 to 1024") ?? 16)
    self.channels = Int(
      try flags.integer("channels", in: 1...1_024, expected: "1 to 1024")
        ?? Int64(self.concurrency))
    self.calls = try flags.integer("calls", in: 1...100_000_000, expected: "a count >= 1")
      .map { Int($0) }
    self.durationMs =
      self.calls == nil ? try Self.milliseconds(flags, "duration", default: 5_000) : nil
    self.warmupMs = try Self.milliseconds(flags, "warmup", default: 500)
    self.serverPID = try flags.integer("server-pid", in: 1...4_194_304, expected: "a pid")
      .map { Int32($0) }
    guard self.calls == nil || flags.string("duration") == nil else {
      throw UsageError("--calls and --duration exclude each other", command: "bench")
    }
  }

  private static func milliseconds(
    _ flags: ParsedFlags, _ name: String, default fallback: Int64
  ) throws(UsageError) -> Int64 {
    guard let text = flags.string(name) else {
      return fallback
    }
    guard let value = GlobalOptions.milliseconds(of: text) else {
      throw UsageError(
        "--\(name) wants a duration such as 500ms or 5s, got '\(text)'",
        command: "bench")
    }
    return value
  }
}
