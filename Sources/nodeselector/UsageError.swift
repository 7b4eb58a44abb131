/// The command line cannot be run as given: an unknown command or flag, a missing required
/// flag, a number that does not parse or is out of range.
///
/// Found before any network call; the tool prints ``message`` on stderr and exits 2.
struct UsageError: Error, CustomStringConvertible {
  let message: String
  /// The command whose `--help` the hint should name; nil points at the overall help.
  let command: String?

  init(_ message: String, command: String? = nil) {
    self.message = message
    self.command = command
  }

  var description: String {
    self.message
  }
}
