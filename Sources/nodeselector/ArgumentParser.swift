/// What the command line asks for, before any value is checked.
struct Invocation {
  /// Nil when no command was named (only global flags, or nothing at all).
  var command: CommandSpec?
  var flags: ParsedFlags
  /// `--help`, `-h` or the `help` pseudo-command was given.
  var wantsHelp: Bool
}

/// Splits argv into the command and its flags.
///
/// Global flags may stand before or after the command. Every other token must be a known
/// `--flag` of the command; a value comes as the next token or after `=`. A missing value,
/// a value on a toggle, a repeated flag, an empty value or a stray word is a ``UsageError``.
/// Required flags are checked here too (all missing ones in one message), unless help was
/// asked for.
struct ArgumentParser {
  let commands: [CommandSpec]

  func parse(_ arguments: [String]) throws(UsageError) -> Invocation {
    var invocation = Invocation(command: nil, flags: ParsedFlags(), wantsHelp: false)
    var remaining = arguments
    if let index = self.commandIndex(in: remaining) {
      var name = remaining.remove(at: index)
      if name == "help" {
        invocation.wantsHelp = true
        guard index < remaining.count, !remaining[index].hasPrefix("-") else {
          return invocation
        }
        name = remaining.remove(at: index)
      }
      guard let found = self.commands.first(where: { $0.name == name }) else {
        let previous = index > 0 ? remaining[index - 1] : ""
        throw self.unknownCommand(name, after: previous)
      }
      invocation.command = found
    }

    try self.scan(remaining, into: &invocation)
    if !invocation.wantsHelp, let command = invocation.command {
      try self.checkRequired(command, invocation.flags)
    }
    return invocation
  }

  /// Reads every token but the command into `invocation.flags`.
  private func scan(_ tokens: [String], into invocation: inout Invocation) throws(UsageError) {
    let command = invocation.command?.name
    let specs = GlobalOptions.flags + (invocation.command?.flags ?? [])
    invocation.flags.command = command
    var index = 0
    while index < tokens.count {
      let token = tokens[index]
      index += 1
      if token == "-h" || token == "--help" {
        invocation.wantsHelp = true
        continue
      }
      guard token.hasPrefix("--"), token.count > 2 else {
        throw UsageError("unexpected argument '\(token)'", command: command)
      }
      let body = token.dropFirst(2)
      let name = String(body.prefix { $0 != "=" })
      let inlineValue = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
      guard let spec = specs.first(where: { $0.name == name }) else {
        throw self.unknownFlag(name, command: invocation.command)
      }
      guard !invocation.flags.contains(name) else {
        throw UsageError("flag --\(name) given twice", command: command)
      }
      guard spec.takesValue else {
        guard inlineValue == nil else {
          throw UsageError("flag --\(name) takes no value", command: command)
        }
        invocation.flags.set(toggle: name)
        continue
      }
      var value = inlineValue
      if value == nil, index < tokens.count, !tokens[index].hasPrefix("--") {
        value = tokens[index]
        index += 1
      }
      guard let value, !value.isEmpty else {
        throw UsageError("flag \(spec.synopsis) needs a value", command: command)
      }
      invocation.flags.set(name, value: value)
    }
  }

  private func checkRequired(_ command: CommandSpec, _ flags: ParsedFlags) throws(UsageError) {
    let missing = command.flags.filter { $0.isRequired && !flags.contains($0.name) }
    guard !missing.isEmpty else { return }
    let names = missing.map { "--\($0.name)" }.joined(separator: ", ")
    let noun = missing.count == 1 ? "flag" : "flags"
    throw UsageError(
      "\(command.name): missing required \(noun) \(names)", command: command.name)
  }

  /// The position of the first word that is neither a flag nor a global flag's value.
  private func commandIndex(in arguments: [String]) -> Int? {
    var index = 0
    while index < arguments.count {
      let token = arguments[index]
      guard token.hasPrefix("-") else { return index }
      index += Self.isGlobal(token, withValue: true) ? 2 : 1
    }
    return nil
  }

  /// Whether `token` is exactly a global flag ("--server"), optionally one taking a value.
  private static func isGlobal(_ token: String, withValue: Bool = false) -> Bool {
    GlobalOptions.flags.contains { "--\($0.name)" == token && (!withValue || $0.takesValue) }
  }

  /// A word after a command's flag ("--user alice select") is most likely that flag's value.
  private func unknownCommand(_ name: String, after previous: String) -> UsageError {
    let afterCommandFlag = previous.hasPrefix("--") && !Self.isGlobal(previous)
    let hint = afterCommandFlag ? " (a command's flags go after the command)" : ""
    return UsageError("unknown command '\(name)'\(hint)")
  }

  private func unknownFlag(_ name: String, command: CommandSpec?) -> UsageError {
    guard let command else {
      let owners = self.commands.filter { $0.flags.contains { $0.name == name } }.map(\.name)
      let hint = owners.isEmpty ? "" : " (a flag of: \(owners.joined(separator: ", ")))"
      return UsageError("unknown flag --\(name) before any command\(hint)")
    }
    return UsageError("unknown flag --\(name) for '\(command.name)'", command: command.name)
  }
}
