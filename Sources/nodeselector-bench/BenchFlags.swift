/// `--name value` pairs of one command, read with typed getters that name the flag on error.
struct BenchFlags {
  private var values: [String: String] = [:]

  init(_ arguments: [String]) throws {
    var index = 0
    while index < arguments.count {
      let token = arguments[index]
      guard token.hasPrefix("--"), index + 1 < arguments.count else {
        throw BenchUsageError("expected --flag VALUE, got '\(token)'")
      }
      self.values[String(token.dropFirst(2))] = arguments[index + 1]
      index += 2
    }
  }

  func string(_ name: String, default fallback: String) -> String {
    self.values[name] ?? fallback
  }

  func optionalString(_ name: String) -> String? {
    self.values[name]
  }

  func integer(_ name: String, default fallback: Int) throws -> Int {
    guard let text = self.values[name] else {
      return fallback
    }
    guard let value = Int(text), value >= 0 else {
      throw BenchUsageError("--\(name) wants a whole number >= 0, got '\(text)'")
    }
    return value
  }

  func seconds(_ name: String, default fallback: Double) throws -> Double {
    guard let text = self.values[name] else {
      return fallback
    }
    guard let value = Double(text), value.isFinite, value > 0 else {
      throw BenchUsageError("--\(name) wants seconds > 0, got '\(text)'")
    }
    return value
  }

  /// A comma-separated list of whole numbers, e.g. "10,100,1000".
  func integers(_ name: String, default fallback: [Int]) throws -> [Int] {
    guard let text = self.values[name] else {
      return fallback
    }
    let numbers = text.split(separator: ",").compactMap { Int($0) }
    guard !numbers.isEmpty, numbers.allSatisfy({ $0 > 0 }) else {
      throw BenchUsageError("--\(name) wants numbers > 0 separated by commas, got '\(text)'")
    }
    return numbers
  }
}
