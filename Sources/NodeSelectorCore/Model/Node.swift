/// One machine that can run a user's tasks, as the store keeps it.
///
/// A node belongs to exactly one user. `provisioned` says this service created its cloud
/// server and may delete it; an adopted node (RegisterNode) is never deleted, only forgotten.
public struct Node: Sendable, Equatable, Identifiable {
  public var id: String
  public var userID: String
  public var state: NodeState
  /// Hetzner server type name; see ``ServerType``.
  public var serverType: String
  public var location: String
  /// Where the node agent listens.
  public var address: String
  public var agentPort: Int
  /// Hetzner server id, nil before creation returns or for an adopted node without one.
  public var cloudServerID: Int64?
  public var provisioned: Bool
  public var health: NodeHealth
  public var metrics: NodeMetrics
  /// Tasks currently assigned (derived from open assignments by the store).
  public var workspaces: Int
  public var failureReason: String?
  /// Milliseconds since the Unix epoch, like every time in the core.
  public var createdAtMs: Int64
  public var updatedAtMs: Int64
  /// When the last assignment ended; nil unless `state == .warm`.
  public var warmSinceMs: Int64?

  public init(
    id: String,
    userID: String,
    state: NodeState,
    serverType: String,
    location: String,
    address: String = "",
    agentPort: Int = 8080,
    cloudServerID: Int64? = nil,
    provisioned: Bool = false,
    health: NodeHealth = .unknown,
    metrics: NodeMetrics = .none,
    workspaces: Int = 0,
    failureReason: String? = nil,
    createdAtMs: Int64,
    updatedAtMs: Int64? = nil,
    warmSinceMs: Int64? = nil
  ) {
    self.id = id
    self.userID = userID
    self.state = state
    self.serverType = serverType
    self.location = location
    self.address = address
    self.agentPort = agentPort
    self.cloudServerID = cloudServerID
    self.provisioned = provisioned
    self.health = health
    self.metrics = metrics
    self.workspaces = workspaces
    self.failureReason = failureReason
    self.createdAtMs = createdAtMs
    self.updatedAtMs = updatedAtMs ?? createdAtMs
    self.warmSinceMs = warmSinceMs
  }

  /// The catalog entry for this node's size, nil for an unknown type.
  public var size: ServerType? {
    ServerType.named(self.serverType)
  }
}
