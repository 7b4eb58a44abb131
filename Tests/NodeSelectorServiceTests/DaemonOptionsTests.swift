import Testing

@testable import NodeSelectorService

@Suite("Daemon options")
struct DaemonOptionsTests {
  func config(_ arguments: [String], _ environment: [String: String] = [:]) throws
    -> DaemonConfig
  {
    guard case .run(let config) = try DaemonOptions.parse(arguments, environment: environment)
    else {
      throw ConfigError("expected a configuration, got help")
    }
    return config
  }

  @Test("no options give the documented defaults")
  func defaults() throws {
    let config = try self.config([])
    #expect(config.listen == "127.0.0.1:50051")
    #expect(config.databasePath == "nodeselector.sqlite")
    #expect(config.hetznerURL == "https://api.hetzner.cloud/v1")
    #expect(config.policy.cpuThresholdPercent == 80)
    #expect(config.policy.memoryThresholdPercent == 85)
    #expect(config.policy.workspaceLimit == 10)
    #expect(config.policy.nodeLimit == 10)
    #expect(config.provisioning.healthIntervalMs == 5_000)
    #expect(config.provisioning.healthTimeoutMs == 120_000)
    #expect(config.provisioning.warmTimeoutMs == 1_800_000)
    #expect(config.instance == nil)
  }

  @Test("a bare 0 is a duration where zero is allowed, and refused where it is not")
  func bareZero() throws {
    #expect(try self.config(["--stale-after", "0"]).provisioning.staleAfterMs == 0)
    #expect(throws: ConfigError.self) {
      _ = try DaemonOptions.parse(["--health-interval", "0"], environment: [:])
    }
  }

  @Test("a flag beats its environment variable, which beats the default")
  func flagBeatsEnvironment() throws {
    let environment = ["NODESELECTOR_NODE_LIMIT": "3", "NODESELECTOR_WORKSPACE_LIMIT": "4"]
    let config = try self.config(["--node-limit", "5"], environment)
    #expect(config.policy.nodeLimit == 5)
    #expect(config.policy.workspaceLimit == 4)
  }

  @Test(
    "durations take units and both flag forms",
    arguments: [
      (["--health-interval", "250ms"], 250),
      (["--health-interval=2s"], 2_000),
      (["--health-interval", "1.5m", "--health-timeout", "2m"], 90_000),
    ] as [([String], Int64)])
  func parsesDurations(arguments: [String], expectedMs: Int64) throws {
    #expect(try self.config(arguments).provisioning.healthIntervalMs == expectedMs)
  }

  @Test(
    "out-of-range or malformed values are refused with a message naming them",
    arguments: [
      (["--cpu-threshold", "120"], "cpu threshold"),
      (["--memory-threshold", "0"], "memory threshold"),
      (["--node-limit", "0"], "node limit"),
      (["--cpu-weight", "0.5"], "weights"),
      (["--health-interval", "5"], "needs a unit"),
      (["--health-interval", "10s", "--health-timeout", "5s"], "--health-timeout"),
      (["--listen", "127.0.0.1:99999"], "0-65535"),
      (["--listen", "127.0.0.1"], "needs a port"),
      (["--locations", "fsn1,mars"], "mars"),
      (["--locations", "fsn1,,nbg1"], "\"\""),
      (["--default-server-type", "cx999"], "cx999"),
      (["--instance", "-bad-"], "--instance"),
      (["--hetzner-url", "ftp://x"], "http"),
      (["--log-level", "loud"], "loud"),
      (["--database", ""], "--database"),
      (["--agent-port", "70000"], "--agent-port"),
      (["--no-such-flag"], "unknown option"),
      (["--listen"], "needs a value"),
    ] as [([String], String)])
  func refusesBadValues(arguments: [String], mention: String) {
    let error = #expect(throws: ConfigError.self) {
      _ = try DaemonOptions.parse(arguments, environment: [:])
    }
    #expect(error?.description.contains(mention) == true, "\(error?.description ?? "")")
  }

  @Test("a bad value from the environment names its variable")
  func environmentErrorsNameTheVariable() {
    let error = #expect(throws: ConfigError.self) {
      _ = try DaemonOptions.parse([], environment: ["NODESELECTOR_AGENT_PORT": "0"])
    }
    #expect(error?.description.contains("$NODESELECTOR_AGENT_PORT") == true)
  }

  @Test("--help wins over everything and lists every flag with its variable")
  func helpListsEveryFlag() throws {
    guard case .help = try DaemonOptions.parse(["--bogus", "--help"], environment: [:]) else {
      Issue.record("expected help")
      return
    }
    let usage = DaemonOptions.usage()
    for flag in DaemonFlags.all {
      #expect(usage.contains(flag.flag))
      if let variable = flag.environment {
        #expect(usage.contains(variable))
      }
    }
  }

  @Test("the start-up summary never shows the token, only whether it is set")
  func summaryRedactsToken() throws {
    let config = try self.config(["--hetzner-token", "sekrit-123"])
    let summary = config.redactedSummary
    #expect(summary["hetzner.token"] == "set")
    #expect(!summary.values.contains { $0.contains("sekrit-123") })
  }
}
