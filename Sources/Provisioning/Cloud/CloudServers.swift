/// The cloud as provisioning needs it: create (and wait until created), delete, list by
/// label. ``HetznerCloudServers`` implements it over the Hetzner API; tests use fakes.
public protocol CloudServers: Sendable {
  /// Creates a server and waits for its create action to finish.
  /// - Throws: ``CloudError``. When the error says a server was created anyway
  ///   (`createdServerID`), the caller owns deleting it.
  func create(_ request: CloudCreateRequest) throws(CloudError) -> CloudServer

  /// Deletes a server; succeeds when it is already gone.
  func delete(serverID: Int64) throws(CloudError)

  /// Every server carrying all of `labels`.
  func list(labels: [String: String]) throws(CloudError) -> [CloudServer]
}

public struct CloudCreateRequest: Sendable, Equatable {
  public var name: String
  public var serverType: String
  public var image: String
  public var location: String
  public var labels: [String: String]

  public init(
    name: String, serverType: String, image: String, location: String,
    labels: [String: String]
  ) {
    self.name = name
    self.serverType = serverType
    self.image = image
    self.location = location
    self.labels = labels
  }
}

public struct CloudServer: Sendable, Equatable {
  public var id: Int64
  public var name: String
  /// The public IPv4 address, where the node agent will listen.
  public var address: String
  public var location: String
  public var labels: [String: String]

  public init(
    id: Int64, name: String, address: String, location: String, labels: [String: String]
  ) {
    self.id = id
    self.name = name
    self.address = address
    self.location = location
    self.labels = labels
  }
}

/// A failed cloud call, classified for the retry rules in DESIGN.md.
public struct CloudError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Kind: Sendable, Equatable {
    /// No room in that location (placement, resource_unavailable, no space): retry once in
    /// place, then try other locations.
    case capacity
    /// Rate limit, locked, conflict, 5xx, network: retry with backoff.
    case transient
    /// Quota, auth, invalid input: fail at once.
    case permanent
  }

  public var kind: Kind
  /// The API error code ("placement_error") or a transport name ("timeout").
  public var code: String
  public var message: String
  /// Set when the server exists despite the error (an action that failed after creation,
  /// or a create that answered an error after all): it must be deleted.
  public var createdServerID: Int64?
  /// When the API said how long to wait (RateLimit-Reset), milliseconds from now.
  public var retryAfterMs: Int64?

  public init(
    kind: Kind, code: String, message: String, createdServerID: Int64? = nil,
    retryAfterMs: Int64? = nil
  ) {
    self.kind = kind
    self.code = code
    self.message = message
    self.createdServerID = createdServerID
    self.retryAfterMs = retryAfterMs
  }

  public var description: String {
    "\(self.code): \(self.message)"
  }
}
