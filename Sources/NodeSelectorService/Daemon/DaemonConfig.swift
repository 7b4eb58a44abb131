import NodeSelectorCore
import Provisioning
import StructuredLog

/// Everything the daemon needs, after parsing and validation.
public struct DaemonConfig: Sendable {
  public var listen = "127.0.0.1:50051"
  public var databasePath = "nodeselector.sqlite"
  public var hetznerURL = "https://api.hetzner.cloud/v1"
  /// Never printed; see ``redactedSummary``.
  public var hetznerToken = ""
  public var policy = SelectionPolicy.standard
  public var provisioning = ProvisioningConfig()
  /// The deployment label for cloud servers; nil takes the database's own instance id, so
  /// daemons on different databases never reconcile away each other's servers.
  public var instance: String?
  public var logLevel = Logger.Level.info
  /// How long SIGTERM waits for calls in flight before cancelling them.
  public var drainGraceMs: Int64 = 10_000
  /// How long Health/Check answers NOT_SERVING before the listener closes, so load
  /// balancers see the change.
  public var drainAnnounceMs: Int64 = 0

  public init() {}

  /// One line for the start-up log: every setting but the token, which shows as set/unset.
  public var redactedSummary: Logger.Metadata {
    let p = self.provisioning
    return [
      "listen": self.listen, "database": self.databasePath, "hetzner.url": self.hetznerURL,
      "hetzner.token": self.hetznerToken.isEmpty ? "unset" : "set",
      "cpu_threshold": "\(self.policy.cpuThresholdPercent)",
      "memory_threshold": "\(self.policy.memoryThresholdPercent)",
      "workspace_limit": "\(self.policy.workspaceLimit)",
      "node_limit": "\(self.policy.nodeLimit)",
      "health_interval_ms": "\(p.healthIntervalMs)", "health_timeout_ms": "\(p.healthTimeoutMs)",
      "warm_timeout_ms": "\(p.warmTimeoutMs)", "locations": p.locations.joined(separator: ","),
    ]
  }
}
