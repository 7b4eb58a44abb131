/// Every knob of provisioning and the background loops, in milliseconds where it is a time.
/// Defaults follow DESIGN.md; the daemon validates them at start-up.
public struct ProvisioningConfig: Sendable, Equatable {
  /// Server type used when a request names none.
  public var defaultServerType = "cx22"
  /// Image every server is created from.
  public var image = "ubuntu-24.04"
  /// Locations provisioning may use, in the order tried after the preferred one.
  public var locations = ["fsn1", "nbg1", "hel1"]
  /// The node agent's port on provisioned servers.
  public var agentPort = 8080
  /// Separates deployments sharing one Hetzner project: the reconciler only ever deletes
  /// servers carrying its own instance label.
  public var instance = "default"

  public var healthIntervalMs: Int64 = 5_000
  public var healthTimeoutMs: Int64 = 120_000
  /// Pause before the one in-place retry after a capacity error.
  public var capacityRetryDelayMs: Int64 = 2_000
  /// Attempts for a rate-limited / locked / 5xx call before giving up.
  public var transientAttempts = 5
  /// Backoff base and cap for transient retries (full jitter between 0 and the bound).
  public var backoffBaseMs: Int64 = 500
  public var backoffCapMs: Int64 = 30_000
  /// Attempts for deleting a server after a failure.
  public var deleteAttempts = 5

  /// Warm nodes unclaimed this long are destroyed (provisioned) or leave the pool (adopted).
  public var warmTimeoutMs: Int64 = 30 * 60_000
  /// How often the reconciler and the warm reaper run.
  public var reconcileIntervalMs: Int64 = 60_000
  /// A transient row untouched this long, and not worked on by this process, is stuck
  /// (its daemon crashed). Keep it above the longest provisioning step when several daemons
  /// share a database.
  public var staleAfterMs: Int64 = 10 * 60_000

  public init() {}

  /// The labels every server this deployment creates carries.
  public var ownershipLabels: [String: String] {
    [Labels.managedBy: Labels.managedByValue, Labels.instance: self.instance]
  }
}

/// Label keys tying a cloud server to its node row.
public enum Labels {
  public static let managedBy = "managed-by"
  public static let managedByValue = "nodeselector"
  public static let instance = "nodeselector-instance"
  public static let nodeID = "nodeselector-node"
}
