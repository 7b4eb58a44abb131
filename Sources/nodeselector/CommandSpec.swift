import GRPCBridge

/// What a successful call prints: both forms are built, `--json` picks one.
struct CommandOutput {
  let text: String
  let json: JSONValue
  /// 0 normally; `health` returns 1 when the daemon answers but is not serving.
  var exitCode: Int32 = 0
}

/// A validated request, waiting for a connection. Validation happens before the channel is
/// opened, so a usage error never touches the network.
typealias PreparedCall = (Client) throws(RPCError) -> CommandOutput

/// One subcommand: its name, its help and how it turns flags into a call.
struct CommandSpec {
  let name: String
  /// One line for the overall `--help`.
  let summary: String
  /// A paragraph for `<command> --help`: what the call does and what to expect.
  let details: String
  let flags: [FlagSpec]
  /// Reads the flags into a request (throwing ``UsageError`` for bad values); the returned
  /// closure sends it and renders the answer.
  let prepare: (ParsedFlags) throws(UsageError) -> PreparedCall
}
