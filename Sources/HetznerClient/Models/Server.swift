/// A Hetzner Cloud server, reduced to the fields NodeSelector uses.
///
/// Codable in the API's own JSON shape (`public_net.ipv4.ip`, `server_type.name`,
/// `datacenter.location.name`); fields not listed here are ignored when decoding.
public struct Server: Codable, Sendable, Equatable {
  /// The API's `status` string; open, since the API may add states.
  public struct Status: RawRepresentable, Codable, Hashable, Sendable, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(rawValue: String) {
      self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
      self.rawValue = value
    }

    public static let initializing: Status = "initializing"
    public static let starting: Status = "starting"
    public static let running: Status = "running"
    public static let stopping: Status = "stopping"
    public static let off: Status = "off"
    public static let deleting: Status = "deleting"
    public static let migrating: Status = "migrating"
    public static let rebuilding: Status = "rebuilding"
    public static let unknown: Status = "unknown"
  }

  public let id: Int64
  public let name: String
  public let status: Status
  /// Nil when the server was created without a public IPv4 address.
  public let publicIPv4: String?
  /// The server type's name, e.g. `cx22`.
  public let serverType: String
  /// The location's name, e.g. `fsn1`.
  public let location: String
  public let labels: [String: String]

  public init(
    id: Int64, name: String, status: Status, publicIPv4: String?, serverType: String,
    location: String, labels: [String: String] = [:]
  ) {
    self.id = id
    self.name = name
    self.status = status
    self.publicIPv4 = publicIPv4
    self.serverType = serverType
    self.location = location
    self.labels = labels
  }

  public init(from decoder: Decoder) throws {
    let wire = try Wire(from: decoder)
    self.init(
      id: wire.id, name: wire.name, status: wire.status, publicIPv4: wire.publicNet?.ipv4?.ip,
      serverType: wire.serverType.name, location: wire.datacenter.location.name,
      labels: wire.labels ?? [:])
  }

  public func encode(to encoder: Encoder) throws {
    let wire = Wire(
      id: self.id, name: self.name, status: self.status,
      publicNet: Wire.PublicNet(ipv4: self.publicIPv4.map { Wire.Address(ip: $0) }),
      serverType: Wire.Named(name: self.serverType),
      datacenter: Wire.Datacenter(location: Wire.Named(name: self.location)),
      labels: self.labels)
    try wire.encode(to: encoder)
  }

  /// The JSON shape, spelled as the API spells it.
  private struct Wire: Codable {
    struct Address: Codable {
      let ip: String
    }

    struct PublicNet: Codable {
      let ipv4: Address?
    }

    struct Named: Codable {
      let name: String
    }

    struct Datacenter: Codable {
      let location: Named
    }

    let id: Int64
    let name: String
    let status: Status
    let publicNet: PublicNet?
    let serverType: Named
    let datacenter: Datacenter
    let labels: [String: String]?

    enum CodingKeys: String, CodingKey {
      case id, name, status, datacenter, labels
      case publicNet = "public_net"
      case serverType = "server_type"
    }
  }
}
