/// The `--help` texts, built from the command and flag tables so they cannot drift apart.
enum HelpText {
  static func overall(_ commands: [CommandSpec]) -> String {
    let nameWidth = (commands.map(\.name.count).max() ?? 0) + 2
    let commandLines = commands.map {
      "  " + $0.name + String(repeating: " ", count: nameWidth - $0.name.count) + $0.summary
    }
    return """
      nodeselector: ask a NodeSelector daemon which machine a user's task should run on.

      Usage: nodeselector [--server HOST:PORT] [--json] [--timeout DURATION] <command> [flags]

      Commands:
      \(commandLines.joined(separator: "\n"))

      Global flags (accepted before or after the command):
      \(self.flagLines(GlobalOptions.flags))

      Run 'nodeselector <command> --help' (or 'nodeselector help <command>') for its flags.

      Output:
        Text for people by default. With --json, stdout carries exactly one JSON object on
        one line: the response message, with the proto's own field names in snake_case
        (user_id, agent_port), not protobuf JSON's lowerCamelCase; enums as lowercase names
        without prefix ("running", "existing_capacity"); int64 fields as numbers; a Gauge as
        its plain number. Every scalar field is written; unset messages are left out.

      Exit status:
        0  success
        1  the call failed: 'error: CODE: message' on stderr, or with --json
           {"error": {"code": "CODE", "message": "..."}} on stdout;
           also 'health' answered with anything but serving
        2  usage error (unknown command or flag, missing flag, bad number), on stderr
      """
  }

  static func command(_ command: CommandSpec) -> String {
    let synopsis = command.flags.map { $0.isRequired ? $0.synopsis : "[\($0.synopsis)]" }
    let usage = self.wrapped(
      ["Usage: nodeselector [global flags]", command.name] + synopsis, indent: 8)
    return """
      \(usage)

      \(command.details.trimmingTrailingNewlines())

      Flags:
      \(self.flagLines(command.flags))

      Global flags:
      \(self.flagLines(GlobalOptions.flags))
      """
  }

  /// Joins `words` with spaces into lines of at most 90 columns; later lines are indented.
  private static func wrapped(_ words: [String], indent: Int) -> String {
    var lines: [String] = []
    var line = ""
    for word in words {
      if !line.isEmpty, line.count + 1 + word.count > 90 {
        lines.append(line)
        line = String(repeating: " ", count: indent) + word
      } else {
        line += line.isEmpty ? word : " " + word
      }
    }
    lines.append(line)
    return lines.joined(separator: "\n")
  }

  /// One aligned line per flag, required ones marked.
  private static func flagLines(_ flags: [FlagSpec]) -> String {
    let width = (flags.map(\.synopsis.count).max() ?? 0) + 2
    return flags.map { flag in
      let padding = String(repeating: " ", count: width - flag.synopsis.count)
      let summary = flag.isRequired ? "required: " + flag.summary : flag.summary
      return "  " + flag.synopsis + padding + summary
    }.joined(separator: "\n")
  }
}

extension String {
  fileprivate func trimmingTrailingNewlines() -> String {
    var text = self
    while text.hasSuffix("\n") { text.removeLast() }
    return text
  }
}
