/// The flags of one invocation after scanning, with typed readers that turn a bad value
/// into a ``UsageError`` naming the flag, what it expects and what it got.
///
/// Holds global and command flags alike; the scanner has already rejected unknown names,
/// repeats and empty values, so a present value is never "".
struct ParsedFlags {
  private(set) var values: [String: String] = [:]
  private(set) var toggles: Set<String> = []
  /// The command these flags belong to, for error hints; nil for global-only parsing.
  var command: String?

  mutating func set(_ name: String, value: String) {
    self.values[name] = value
  }

  mutating func set(toggle name: String) {
    self.toggles.insert(name)
  }

  func contains(_ name: String) -> Bool {
    self.values[name] != nil || self.toggles.contains(name)
  }

  func string(_ name: String) -> String? {
    self.values[name]
  }

  func toggle(_ name: String) -> Bool {
    self.toggles.contains(name)
  }

  func required(_ name: String) throws(UsageError) -> String {
    guard let value = self.values[name] else {
      throw UsageError("missing required flag --\(name)", command: self.command)
    }
    return value
  }

  /// A finite decimal number within `range`; nil when the flag is absent.
  /// - Parameter expected: how help would describe the range, e.g. "a percent from 0 to 100".
  func double(
    _ name: String, in range: ClosedRange<Double>, expected: String
  ) throws(UsageError) -> Double? {
    guard let text = self.values[name] else { return nil }
    guard let number = Double(text), number.isFinite, range.contains(number) else {
      throw self.badNumber(name, text, expected)
    }
    return number
  }

  /// A whole number within `range`; nil when the flag is absent.
  func integer(
    _ name: String, in range: ClosedRange<Int64>, expected: String
  ) throws(UsageError) -> Int64? {
    guard let text = self.values[name] else { return nil }
    guard let number = Int64(text), range.contains(number) else {
      throw self.badNumber(name, text, expected)
    }
    return number
  }

  private func badNumber(_ name: String, _ text: String, _ expected: String) -> UsageError {
    UsageError("--\(name) wants \(expected), got '\(text)'", command: self.command)
  }
}
