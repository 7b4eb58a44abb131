/// One `--name` a command (or the tool as a whole) accepts.
struct FlagSpec: Sendable {
  enum Kind: Sendable {
    /// Takes a value, as `--name VALUE` or `--name=VALUE`; `placeholder` is shown in help.
    case value(placeholder: String)
    /// Present or absent; takes no value.
    case toggle
  }

  /// The name without its leading dashes ("user").
  let name: String
  let kind: Kind
  /// One line for `--help`.
  let summary: String
  let isRequired: Bool

  static func value(
    _ name: String, _ placeholder: String, _ summary: String, required: Bool = false
  ) -> FlagSpec {
    FlagSpec(
      name: name, kind: .value(placeholder: placeholder), summary: summary,
      isRequired: required)
  }

  static func toggle(_ name: String, _ summary: String) -> FlagSpec {
    FlagSpec(name: name, kind: .toggle, summary: summary, isRequired: false)
  }

  /// "--user USER" or "--provision", as in a usage line.
  var synopsis: String {
    switch self.kind {
    case .value(let placeholder): "--\(self.name) \(placeholder)"
    case .toggle: "--\(self.name)"
    }
  }

  var takesValue: Bool {
    if case .value = self.kind { return true }
    return false
  }
}
