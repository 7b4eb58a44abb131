/// A ``SelectionPolicy`` setting that is out of range.
///
/// The message names the field, the refused value and the allowed range, for example
/// "cpu threshold 120 is out of range (0, 100]", so it can be shown to an operator as is.
public struct PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Which setting was refused.
  public enum Field: String, Sendable, Equatable, CaseIterable {
    case cpuThreshold = "cpu threshold"
    case memoryThreshold = "memory threshold"
    case workspaceLimit = "workspace limit"
    case nodeLimit = "node limit"
    case cpuWeight = "cpu weight"
    case memoryWeight = "memory weight"
    /// The two weights together (their sum).
    case weights
  }

  public let field: Field
  public let message: String

  public var description: String {
    self.message
  }

  init(field: Field, message: String) {
    self.field = field
    self.message = message
  }

  init(field: Field, value: String, range: String) {
    self.init(field: field, message: "\(field.rawValue) \(value) is out of range \(range)")
  }

  /// A value as a person would write it: 120 rather than 120.0, nan and inf kept visible.
  static func text(_ value: Double) -> String {
    let text = value.description
    return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
  }
}
