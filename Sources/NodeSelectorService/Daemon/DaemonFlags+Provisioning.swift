import Provisioning
import StructuredLog

extension DaemonFlags {
  static let provisioningFlags: [DaemonFlag] = [
    DaemonFlag(
      flag: "--locations", environment: "NODESELECTOR_LOCATIONS", placeholder: "LIST",
      help: "comma-separated locations provisioning may use, in order (default fsn1,nbg1,hel1)"
    ) { value, config, _ throws(ConfigError) in
      config.provisioning.locations = value.split(
        separator: ",", omittingEmptySubsequences: false
      ).map(String.init)
    },
    DaemonFlag(
      flag: "--default-server-type", environment: "NODESELECTOR_DEFAULT_SERVER_TYPE",
      placeholder: "TYPE", help: "server type when a request names none (default cx22)"
    ) { value, config, _ throws(ConfigError) in config.provisioning.defaultServerType = value },
    DaemonFlag(
      flag: "--image", environment: "NODESELECTOR_IMAGE", placeholder: "IMAGE",
      help: "image for new servers (default ubuntu-24.04)"
    ) { value, config, _ throws(ConfigError) in config.provisioning.image = value },
    DaemonFlag(
      flag: "--agent-port", environment: "NODESELECTOR_AGENT_PORT", placeholder: "PORT",
      help: "node agent port on new servers, serving /health (default 8080)"
    ) { value, config, _ throws(ConfigError) in
      config.provisioning.agentPort = try Parse.integer(value, "--agent-port", 1...65535)
    },
    DaemonFlag(
      flag: "--instance", environment: "NODESELECTOR_INSTANCE", placeholder: "NAME",
      help: "label naming this deployment's servers (default: an id drawn once per database)"
    ) { value, config, _ throws(ConfigError) in
      guard LabelValue.isValid(value) else {
        throw ConfigError(
          "--instance \(value) must be 1-63 letters, digits, '-', '_' or '.', "
            + "starting and ending with a letter or digit")
      }
      config.instance = value
    },
    DaemonFlag(
      flag: "--health-interval", environment: "NODESELECTOR_HEALTH_INTERVAL",
      placeholder: "DURATION", help: "pause between /health polls (default 5s)"
    ) { value, config, _ throws(ConfigError) in
      config.provisioning.healthIntervalMs = try Parse.duration(value, "--health-interval")
    },
    DaemonFlag(
      flag: "--health-timeout", environment: "NODESELECTOR_HEALTH_TIMEOUT",
      placeholder: "DURATION", help: "give up on a new node's /health after this (default 120s)"
    ) { value, config, _ throws(ConfigError) in
      config.provisioning.healthTimeoutMs = try Parse.duration(value, "--health-timeout")
    },
    DaemonFlag(
      flag: "--warm-timeout", environment: "NODESELECTOR_WARM_TIMEOUT", placeholder: "DURATION",
      help: "idle warm nodes are destroyed (or, if adopted, leave the pool) after this (30m)"
    ) { value, config, _ throws(ConfigError) in
      config.provisioning.warmTimeoutMs = try Parse.duration(value, "--warm-timeout")
    },
    DaemonFlag(
      flag: "--capacity-retry-delay", environment: "NODESELECTOR_CAPACITY_RETRY_DELAY",
      placeholder: "DURATION", help: "pause before retrying a location out of capacity (2s)"
    ) { value, config, _ throws(ConfigError) in
      config.provisioning.capacityRetryDelayMs = try Parse.duration(
        value, "--capacity-retry-delay", allowZero: true)
    },
    DaemonFlag(
      flag: "--reconcile-interval", environment: "NODESELECTOR_RECONCILE_INTERVAL",
      placeholder: "DURATION", help: "how often to reconcile servers and expire warm nodes (60s)"
    ) { value, config, _ throws(ConfigError) in
      config.provisioning.reconcileIntervalMs = try Parse.duration(value, "--reconcile-interval")
    },
    DaemonFlag(
      flag: "--stale-after", environment: "NODESELECTOR_STALE_AFTER", placeholder: "DURATION",
      help: "a row stuck this long in creating/booting/destroying is recovered (10m)"
    ) { value, config, _ throws(ConfigError) in
      config.provisioning.staleAfterMs = try Parse.duration(
        value, "--stale-after", allowZero: true)
    },
  ]

  static let operationFlags: [DaemonFlag] = [
    DaemonFlag(
      flag: "--log-level", environment: "NODESELECTOR_LOG_LEVEL", placeholder: "LEVEL",
      help: "trace, debug, info, warning or error (default info)"
    ) { value, config, _ throws(ConfigError) in
      guard let level = Logger.Level(name: value) else {
        throw ConfigError("--log-level \(value) is not trace, debug, info, warning or error")
      }
      config.logLevel = level
    },
    DaemonFlag(
      flag: "--drain-grace", environment: "NODESELECTOR_DRAIN_GRACE", placeholder: "DURATION",
      help: "on SIGTERM, wait this long for calls in flight before cancelling them (10s)"
    ) { value, config, _ throws(ConfigError) in
      config.drainGraceMs = try Parse.duration(value, "--drain-grace", allowZero: true)
    },
    DaemonFlag(
      flag: "--drain-announce", environment: "NODESELECTOR_DRAIN_ANNOUNCE",
      placeholder: "DURATION",
      help: "on SIGTERM, answer health NOT_SERVING this long before closing (default 0s)"
    ) { value, config, _ throws(ConfigError) in
      config.drainAnnounceMs = try Parse.duration(value, "--drain-announce", allowZero: true)
    },
  ]

  /// The `--help` text.
  static func usage() -> String {
    var lines = [
      "nodeselectord: picks, claims or provisions a machine for a user's task, over gRPC.",
      "",
      "usage: nodeselectord [options]",
      "",
      "Every option can also come from the environment variable shown; the flag wins.",
      "Durations take ms, s, m or h (\"500ms\", \"5s\", \"2m\").",
      "",
    ]
    for option in DaemonFlags.all {
      let name = "  \(option.flag) \(option.placeholder)"
      lines.append(name)
      let env = option.environment.map { " [\($0)]" } ?? ""
      lines.append("      \(option.help)\(env)")
    }
    lines += [
      "",
      "Signals: SIGTERM or SIGINT drains calls in flight and exits 0.",
      "Exit status: 0 after a clean shutdown, 2 for a configuration error, 1 otherwise.",
    ]
    return lines.joined(separator: "\n")
  }
}

/// Value parsers with messages that name the flag.
enum Parse {
  static func number(_ text: String, _ flag: String) throws(ConfigError) -> Double {
    guard let value = Double(text), value.isFinite else {
      throw ConfigError("\(flag) \(text) is not a number")
    }
    return value
  }

  static func integer(_ text: String, _ flag: String, _ range: ClosedRange<Int>? = nil)
    throws(ConfigError) -> Int
  {
    guard let value = Int(text) else {
      throw ConfigError("\(flag) \(text) is not a whole number")
    }
    if let range, !range.contains(value) {
      throw ConfigError("\(flag) \(value) is out of range \(range.lowerBound)-\(range.upperBound)")
    }
    return value
  }

  /// "250ms", "5s", "2m" or "1h". A bare number is refused ("5" could mean 5 ms or 5 s),
  /// except "0", which means the same in every unit.
  static func duration(_ text: String, _ flag: String, allowZero: Bool = false)
    throws(ConfigError) -> Int64
  {
    let units: [(String, Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
    if text == "0", allowZero {
      return 0
    }
    guard let (suffix, scale) = units.first(where: { text.hasSuffix($0.0) }) else {
      throw ConfigError("\(flag) \(text) needs a unit: ms, s, m or h (as in 500ms or 5s)")
    }
    let number = String(text.dropLast(suffix.count))
    guard let value = Double(number), value.isFinite, value >= 0 else {
      throw ConfigError("\(flag) \(text) is not a duration like 500ms, 5s or 2m")
    }
    let ms = Int64((value * scale).rounded())
    guard allowZero || ms > 0 else {
      throw ConfigError("\(flag) must be longer than zero")
    }
    return ms
  }
}

/// Hetzner's rule for a label value, checked at start-up rather than at the first create.
enum LabelValue {
  static func isValid(_ value: String) -> Bool {
    let scalars = Array(value.unicodeScalars)
    guard (1...63).contains(scalars.count), let first = scalars.first, let last = scalars.last
    else {
      return false
    }
    func alphanumeric(_ scalar: Unicode.Scalar) -> Bool {
      scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))
    }
    return alphanumeric(first) && alphanumeric(last)
      && scalars.allSatisfy { alphanumeric($0) || "-_.".unicodeScalars.contains($0) }
  }
}
