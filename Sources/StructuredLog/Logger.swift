import Foundation

/// A structured logger: one JSON object per line, so logs can be read by people and by jq.
///
/// Shaped like swift-log (this package may depend on no outside package): libraries take a
/// `Logger` from their caller and never build their own; messages are short and lowercase;
/// data goes in metadata with dotted keys (`task.id`, `node.id`). Never put a secret (the
/// Hetzner token) or a SQL bind value in a message or in metadata.
public struct Logger: Sendable {
  public enum Level: Int, Comparable, Sendable, CaseIterable, CustomStringConvertible {
    case trace, debug, info, warning, error

    public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
      switch self {
      case .trace: "trace"
      case .debug: "debug"
      case .info: "info"
      case .warning: "warning"
      case .error: "error"
      }
    }

    /// Parses "trace", "debug", "info", "warning" or "error".
    public init?(name: String) {
      guard let level = Level.allCases.first(where: { $0.description == name }) else {
        return nil
      }
      self = level
    }
  }

  public typealias Metadata = [String: String]

  public let label: String
  public var level: Level
  public var metadata: Metadata
  private let sink: LogSink

  /// - Parameters:
  ///   - label: the component, written as `logger` in every line.
  ///   - sink: where lines go; `.standardError` for the daemon, `.discard` or a
  ///     `.collecting` sink in tests.
  public init(label: String, level: Level = .info, sink: LogSink = .standardError) {
    self.label = label
    self.level = level
    self.metadata = [:]
    self.sink = sink
  }

  /// A copy carrying one more metadata pair, for handing down to a callee.
  public func with(_ key: String, _ value: String) -> Logger {
    var copy = self
    copy.metadata[key] = value
    return copy
  }

  public func trace(_ message: String, _ metadata: Metadata = [:]) {
    self.log(.trace, message, metadata)
  }

  public func debug(_ message: String, _ metadata: Metadata = [:]) {
    self.log(.debug, message, metadata)
  }

  public func info(_ message: String, _ metadata: Metadata = [:]) {
    self.log(.info, message, metadata)
  }

  public func warning(_ message: String, _ metadata: Metadata = [:]) {
    self.log(.warning, message, metadata)
  }

  public func error(_ message: String, _ metadata: Metadata = [:]) {
    self.log(.error, message, metadata)
  }

  public func log(_ level: Level, _ message: String, _ metadata: Metadata = [:]) {
    guard level >= self.level else {
      return
    }
    var fields = self.metadata.merging(metadata) { _, new in new }
    fields["ts"] = Self.timestamp()
    fields["level"] = level.description
    fields["logger"] = self.label
    fields["msg"] = message
    self.sink.write(Self.encode(fields))
  }

  /// Keys sorted, so lines are stable for tests and diffs; `ts` first for people.
  static func encode(_ fields: [String: String]) -> String {
    let order = ["ts", "level", "logger", "msg"]
    let rest = fields.keys.filter { !order.contains($0) }.sorted()
    let parts = (order + rest).compactMap { key -> String? in
      guard let value = fields[key] else { return nil }
      return "\(JSONText.quote(key)):\(JSONText.quote(value))"
    }
    return "{" + parts.joined(separator: ",") + "}"
  }

  private static func timestamp() -> String {
    let now = Date()
    return ISO8601DateFormatter.string(
      from: now, timeZone: TimeZone(identifier: "UTC")!,
      formatOptions: [.withInternetDateTime, .withFractionalSeconds])
  }
}
