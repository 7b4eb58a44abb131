import NodeSelectorCore
import Provisioning
import StructuredLog

/// One command-line option: its flag, its environment variable, its help text, and how it
/// sets the configuration.
struct DaemonFlag: Sendable {
  let flag: String
  let environment: String?
  let placeholder: String
  let help: String
  let apply: @Sendable (String, inout DaemonConfig, inout PolicyFields) throws(ConfigError) -> Void
}

/// The table of every daemon option; `--help` is printed from it, so the two never drift.
enum DaemonFlags {
  static let all: [DaemonFlag] =
    [
      DaemonFlag(
        flag: "--listen", environment: "NODESELECTOR_LISTEN", placeholder: "HOST:PORT",
        help: "gRPC listen address (default 127.0.0.1:50051; port 0 picks a free port)"
      ) { value, config, _ throws(ConfigError) in
        try ListenAddress.check(value, flag: "--listen")
        config.listen = value
      },
      DaemonFlag(
        flag: "--database", environment: "NODESELECTOR_DATABASE", placeholder: "PATH",
        help: "SQLite database file, created if missing (default ./nodeselector.sqlite)"
      ) { value, config, _ throws(ConfigError) in
        guard !value.isEmpty else {
          throw ConfigError("--database needs a file path")
        }
        config.databasePath = value
      },
      DaemonFlag(
        flag: "--hetzner-url", environment: "NODESELECTOR_HETZNER_URL", placeholder: "URL",
        help: "Hetzner Cloud API root (default https://api.hetzner.cloud/v1)"
      ) { value, config, _ throws(ConfigError) in config.hetznerURL = value },
      DaemonFlag(
        flag: "--hetzner-token", environment: "HCLOUD_TOKEN", placeholder: "TOKEN",
        help: "Hetzner API token; prefer the HCLOUD_TOKEN variable (flags show in ps)"
      ) { value, config, _ throws(ConfigError) in config.hetznerToken = value },
      DaemonFlag(
        flag: "--cpu-threshold", environment: "NODESELECTOR_CPU_THRESHOLD", placeholder: "PERCENT",
        help: "nodes at or over this CPU use get no new task (default 80)"
      ) { value, _, policy throws(ConfigError) in
        policy.cpu = try Parse.number(value, "--cpu-threshold")
      },
      DaemonFlag(
        flag: "--memory-threshold", environment: "NODESELECTOR_MEMORY_THRESHOLD",
        placeholder: "PERCENT",
        help: "nodes at or over this memory use get no new task (default 85)"
      ) { value, _, policy throws(ConfigError) in
        policy.memory = try Parse.number(value, "--memory-threshold")
      },
      DaemonFlag(
        flag: "--workspace-limit", environment: "NODESELECTOR_WORKSPACE_LIMIT", placeholder: "N",
        help: "tasks one node may hold at once (default 10)"
      ) { value, _, policy throws(ConfigError) in
        policy.workspaces = try Parse.integer(value, "--workspace-limit")
      },
      DaemonFlag(
        flag: "--node-limit", environment: "NODESELECTOR_NODE_LIMIT", placeholder: "N",
        help: "live nodes one user may have, provisioned and adopted (default 10)"
      ) { value, _, policy throws(ConfigError) in
        policy.nodes = try Parse.integer(value, "--node-limit")
      },
      DaemonFlag(
        flag: "--cpu-weight", environment: "NODESELECTOR_CPU_WEIGHT", placeholder: "W",
        help: "weight of CPU in the load score; with --memory-weight sums to 1 (default 0.4)"
      ) { value, _, policy throws(ConfigError) in
        policy.cpuWeight = try Parse.number(value, "--cpu-weight")
      },
      DaemonFlag(
        flag: "--memory-weight", environment: "NODESELECTOR_MEMORY_WEIGHT", placeholder: "W",
        help: "weight of memory in the load score (default 0.6)"
      ) { value, _, policy throws(ConfigError) in
        policy.memoryWeight = try Parse.number(value, "--memory-weight")
      },
    ] + DaemonFlags.provisioningFlags + DaemonFlags.operationFlags
}
