import Testing

@testable import nodeselector

/// The bundled client's command line, checked without a daemon: everything here fails or
/// succeeds before any connection is made.
@Suite("nodeselector command line")
struct CommandLineTests {
  let cli = NodeSelectorCLI(environment: [:])

  @Test(
    "usage errors exit 2 before connecting",
    arguments: [
      [],
      ["frobnicate"],
      ["release"],
      ["release", "--node", "n-1"],
      ["select", "--user", "alice", "--bogus"],
      ["report", "--node", "n-1"],
      ["report", "--node", "n-1", "--cpu", "abc"],
      ["report", "--node", "n-1", "--cpu", "101"],
      ["report", "--node", "n-1", "--load", "-1"],
      ["report", "--node", "n-1", "--healthy", "--unhealthy"],
      ["register", "--user", "u", "--address", "a", "--size", "cx22", "--port", "70000"],
      ["get", "--node"],
      ["get", "--node", "a", "--node", "b"],
      ["list", "--all=yes"],
      ["--timeout", "0", "health"],
      ["--server", "127.0.0.1:99999", "health"],
      ["--server", "127.0.0.1", "health"],
    ])
  func usageErrorsExitTwo(arguments: [String]) {
    #expect(self.cli.run(arguments) == 2)
  }

  @Test(
    "help exits 0, overall and per command",
    arguments: [["--help"], ["select", "--help"], ["help", "list"]])
  func helpExitsZero(arguments: [String]) {
    #expect(self.cli.run(arguments) == 0)
  }

  @Test("global flags may come after the command")
  func globalFlagsAfterCommand() throws {
    let parser = ArgumentParser(commands: Commands.all)
    let invocation = try parser.parse(["get", "--node", "n-1", "--json", "--server", "h:1"])
    #expect(invocation.command?.name == "get")
    #expect(invocation.flags.toggle("json"))
    #expect(invocation.flags.string("server") == "h:1")
  }

  @Test(
    "timeouts parse with units and refuse nonsense",
    arguments: [
      ("500ms", Int64(500)), ("1.5s", 1_500), ("2m", 120_000), ("1h", 3_600_000), ("3", 3_000),
      ("0", nil), ("-1s", nil), ("25h", nil), ("soon", nil),
    ] as [(String, Int64?)])
  func parsesTimeouts(text: String, expected: Int64?) {
    #expect(GlobalOptions.milliseconds(of: text) == expected)
  }

  @Test(
    "a server address needs a host and a port in range",
    arguments: [
      ("127.0.0.1:50051", true), ("[::1]:9", true), ("h:65535", true),
      ("127.0.0.1", false), (":50051", false), ("h:0", false), ("h:65536", false),
      ("h:x", false),
    ] as [(String, Bool)])
  func checksServerAddress(target: String, valid: Bool) {
    #expect((GlobalOptions.serverProblem(target) == nil) == valid)
  }

  @Test("JSON output escapes strings, keeps key order, and writes non-finite numbers as null")
  func rendersJSON() {
    let value = JSONValue.object([
      ("b", .string("quote \" backslash \\ newline \n")),
      ("a", .array([.integer(-3), .number(1.5), .number(.nan), .bool(true), .null])),
    ])
    #expect(
      value.rendered()
        == #"{"b": "quote \" backslash \\ newline \n", "a": [-3, 1.5, null, true, null]}"#)
  }
}
