/// The flags every command shares: where the daemon is, how to print, how long to wait.
struct GlobalOptions {
  /// The environment variable that names the daemon when `--server` is not given.
  static let serverVariable = "NODESELECTOR_SERVER"
  static let defaultServer = "127.0.0.1:50051"
  static let defaultTimeoutMilliseconds: Int64 = 30_000

  static let flags: [FlagSpec] = [
    .value(
      "server", "HOST:PORT",
      "daemon address (default: $\(serverVariable), else \(defaultServer))"),
    .toggle("json", "print one JSON object on one line instead of text"),
    .value("timeout", "DURATION", "deadline of the call: 500ms, 30s, 2m, 1h (default 30s)"),
    .toggle("help", "show help (-h works too)"),
  ]

  /// A gRPC target, "host:port".
  let server: String
  let json: Bool
  /// The call's deadline from the moment it starts; always positive.
  let timeoutMilliseconds: Int64

  init(flags: ParsedFlags, environment: [String: String]) throws(UsageError) {
    let fromEnvironment = environment[Self.serverVariable].flatMap { $0.isEmpty ? nil : $0 }
    self.server = flags.string("server") ?? fromEnvironment ?? Self.defaultServer
    if let problem = Self.serverProblem(self.server) {
      throw UsageError("--server \(self.server): \(problem)", command: flags.command)
    }
    self.json = flags.toggle("json")
    if let text = flags.string("timeout") {
      guard let milliseconds = Self.milliseconds(of: text) else {
        throw UsageError(
          "--timeout wants a duration such as 500ms, 30s, 2m or 1h (at most 24h), got '\(text)'",
          command: flags.command)
      }
      self.timeoutMilliseconds = milliseconds
    } else {
      self.timeoutMilliseconds = Self.defaultTimeoutMilliseconds
    }
  }

  /// What is wrong with a `HOST:PORT` target, nil when nothing: the gRPC core would
  /// otherwise dial a port of its own choosing for an out-of-range or missing one.
  static func serverProblem(_ target: String) -> String? {
    guard let colon = target.lastIndex(of: ":"), colon != target.startIndex else {
      return "needs HOST:PORT, as in 127.0.0.1:50051"
    }
    let port = Int(target[target.index(after: colon)...]) ?? -1
    guard (1...65535).contains(port) else {
      return "the port must be 1-65535"
    }
    return nil
  }

  /// Parses "500ms", "1.5s", "2m", "1h" or a bare number of seconds into milliseconds.
  ///
  /// Nil for anything else, for zero or less (a deadline that has already passed), and for
  /// more than a day, which is surely a typo and would overflow nothing but patience.
  static func milliseconds(of text: String) -> Int64? {
    let units: [(suffix: String, milliseconds: Double)] = [
      ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000),
    ]
    var number = Double(text)
    var scale = 1_000.0
    if number == nil, let unit = units.first(where: { text.hasSuffix($0.suffix) }) {
      number = Double(text.dropLast(unit.suffix.count))
      scale = unit.milliseconds
    }
    guard let number, number.isFinite else { return nil }
    let total = (number * scale).rounded(.up)
    guard total >= 1, total <= 86_400_000 else { return nil }
    return Int64(total)
  }
}
