import StructuredLog

/// A JSON document, written by hand so the CLI needs no serializer for the generated structs.
///
/// Objects keep their keys in the order given, so output is stable and reads like the proto.
indirect enum JSONValue {
  case object([(String, JSONValue)])
  case array([JSONValue])
  case string(String)
  /// Exact for every Int64 and UInt32; a reader in JavaScript loses digits past 2^53.
  case integer(Int64)
  /// NaN and infinities have no JSON form and render as `null`.
  case number(Double)
  case bool(Bool)
  case null

  /// Compact JSON on one line, no trailing newline.
  func rendered() -> String {
    var output = ""
    self.write(to: &output)
    return output
  }

  private func write(to output: inout String) {
    switch self {
    case .object(let members):
      output += "{"
      for (index, member) in members.enumerated() {
        if index > 0 { output += ", " }
        output += JSONText.quote(member.0)
        output += ": "
        member.1.write(to: &output)
      }
      output += "}"
    case .array(let elements):
      output += "["
      for (index, element) in elements.enumerated() {
        if index > 0 { output += ", " }
        element.write(to: &output)
      }
      output += "]"
    case .string(let text):
      output += JSONText.quote(text)
    case .integer(let value):
      output += String(value)
    case .number(let value):
      // Swift's shortest round-trip form ("31.0", "1e-07") is valid JSON when finite.
      output += value.isFinite ? "\(value)" : "null"
    case .bool(let value):
      output += value ? "true" : "false"
    case .null:
      output += "null"
    }
  }
}
