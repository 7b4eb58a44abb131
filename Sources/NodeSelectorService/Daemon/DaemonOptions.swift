import NodeSelectorCore
import Provisioning
import StructuredLog

/// A start-up configuration problem, printed with `--help`'s pointer and exit status 2.
public struct ConfigError: Error, Equatable, CustomStringConvertible {
  public let description: String

  init(_ description: String) {
    self.description = description
  }
}

/// Parses flags and environment variables into a ``DaemonConfig``. A flag beats its
/// environment variable; every value is checked, and an out-of-range one is refused with a
/// message naming it (never silently replaced).
public enum DaemonOptions {
  public enum Parsed: Sendable {
    case run(DaemonConfig)
    case help
  }

  /// The `--help` text.
  public static func usage() -> String {
    DaemonFlags.usage()
  }

  public static func parse(_ arguments: [String], environment: [String: String]) throws(ConfigError)
    -> Parsed
  {
    if arguments.contains("--help") || arguments.contains("-h") {
      return .help
    }
    var values = try self.flagValues(arguments)
    var fromEnvironment: [String: String] = [:]
    for option in DaemonFlags.all where values[option.flag] == nil {
      if let variable = option.environment, let value = environment[variable] {
        values[option.flag] = value
        fromEnvironment[option.flag] = variable
      }
    }
    var config = DaemonConfig()
    var policy = PolicyFields()
    for option in DaemonFlags.all {
      guard let value = values[option.flag] else {
        continue
      }
      do {
        try option.apply(value, &config, &policy)
      } catch {
        // Name the variable too: the person reading this may never have typed the flag.
        let source = fromEnvironment[option.flag].map { " (set by $\($0))" } ?? ""
        throw ConfigError(error.description + source)
      }
    }
    do {
      config.policy = try policy.build()
    } catch {
      throw ConfigError("invalid policy: \(error)")
    }
    try self.check(config)
    return .run(config)
  }

  private static func flagValues(_ arguments: [String]) throws(ConfigError) -> [String: String] {
    var values: [String: String] = [:]
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      var flag = argument
      var value: String?
      if let equals = argument.firstIndex(of: "=") {
        flag = String(argument[..<equals])
        value = String(argument[argument.index(after: equals)...])
      }
      guard DaemonFlags.all.contains(where: { $0.flag == flag }) else {
        throw ConfigError("unknown option \(argument) (see --help)")
      }
      if value == nil {
        index += 1
        guard index < arguments.count else {
          throw ConfigError("\(flag) needs a value (see --help)")
        }
        value = arguments[index]
      }
      values[flag] = value
      index += 1
    }
    return values
  }

  private static func check(_ config: DaemonConfig) throws(ConfigError) {
    let p = config.provisioning
    guard p.healthIntervalMs > 0, p.healthTimeoutMs >= p.healthIntervalMs else {
      throw ConfigError("--health-timeout must be at least --health-interval, both > 0")
    }
    guard !p.locations.isEmpty else {
      throw ConfigError("--locations needs at least one location")
    }
    for location in p.locations where !Location.isKnown(location) {
      let names = Location.known.sorted().joined(separator: ", ")
      throw ConfigError("--locations: \"\(location)\" is not a Hetzner location (\(names))")
    }
    guard Set(p.locations).count == p.locations.count else {
      throw ConfigError("--locations names a location twice")
    }
    guard ServerType.named(p.defaultServerType) != nil else {
      throw ConfigError("--default-server-type \(p.defaultServerType) is not a known type")
    }
    guard config.hetznerURL.hasPrefix("http://") || config.hetznerURL.hasPrefix("https://")
    else {
      throw ConfigError("--hetzner-url must start with http:// or https://")
    }
  }
}

/// Policy values collected before the validating initialiser runs.
struct PolicyFields {
  var cpu = SelectionPolicy.standard.cpuThresholdPercent
  var memory = SelectionPolicy.standard.memoryThresholdPercent
  var workspaces = SelectionPolicy.standard.workspaceLimit
  var nodes = SelectionPolicy.standard.nodeLimit
  var cpuWeight = SelectionPolicy.standard.cpuWeight
  var memoryWeight = SelectionPolicy.standard.memoryWeight

  func build() throws -> SelectionPolicy {
    try SelectionPolicy(
      cpuThresholdPercent: self.cpu, memoryThresholdPercent: self.memory,
      workspaceLimit: self.workspaces, nodeLimit: self.nodes, cpuWeight: self.cpuWeight,
      memoryWeight: self.memoryWeight)
  }
}
