/// Number formatting for explanations, without Foundation.
///
/// Only the core's own figures pass through here: percents and scores in 0...10^12.
enum Figure {
  /// One decimal, with a trailing ".0" dropped: 91 -> "91", 80.46 -> "80.5".
  static func percent(_ value: Double) -> String {
    let text = Self.oneDecimal(value)
    return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
  }

  /// Exactly one decimal, rounded half away from zero: 31 -> "31.0", 75.25 -> "75.3".
  static func oneDecimal(_ value: Double) -> String {
    guard value.isFinite, abs(value) < 1e12 else {
      return value.description
    }
    let tenths = Int64((value * 10).rounded())
    let sign = tenths < 0 ? "-" : ""
    let magnitude = tenths.magnitude
    return "\(sign)\(magnitude / 10).\(magnitude % 10)"
  }
}
