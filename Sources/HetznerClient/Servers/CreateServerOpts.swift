/// What to create: the body of `POST /servers`.
///
/// ``validate()`` runs before any request is sent (``HetznerCloud/createServer(_:)`` calls
/// it), so a bad name or label costs no API call and no rate-limit budget.
public struct CreateServerOpts: Sendable, Equatable, CustomStringConvertible {
  /// Must be a valid hostname (RFC 1123) and unique in the project.
  public var name: String
  /// Server type name, e.g. `cx22`.
  public var serverType: String
  /// Image name or ID, e.g. `ubuntu-24.04`.
  public var image: String
  /// Location name, e.g. `fsn1`; nil lets Hetzner choose.
  public var location: String?
  public var labels: [String: String]
  /// Cloud-init data, at most ``maxUserDataBytes``. May hold secrets: never printed.
  public var userData: String?

  /// Hetzner's limit on `user_data`.
  public static let maxUserDataBytes = 32 * 1024

  public init(
    name: String, serverType: String, image: String, location: String? = nil,
    labels: [String: String] = [:], userData: String? = nil
  ) {
    self.name = name
    self.serverType = serverType
    self.image = image
    self.location = location
    self.labels = labels
    self.userData = userData
  }

  /// Throws the first rule the options break, naming the field.
  public func validate() throws(HetznerValidationError) {
    guard LabelRules.isHostname(self.name) else {
      throw HetznerValidationError(field: "name", reason: "not a valid RFC 1123 hostname")
    }
    for (field, value) in [("server_type", self.serverType), ("image", self.image)] {
      guard LabelRules.isIdentifier(value) else {
        throw HetznerValidationError(field: field, reason: "empty or not a plain name")
      }
    }
    if let location = self.location, !LabelRules.isIdentifier(location) {
      throw HetznerValidationError(field: "location", reason: "empty or not a plain name")
    }
    for (key, value) in self.labels.sorted(by: { $0.key < $1.key }) {
      try LabelRules.validate(key: key, value: value)
    }
    if let userData = self.userData, userData.utf8.count > Self.maxUserDataBytes {
      throw HetznerValidationError(
        field: "user_data", reason: "longer than \(Self.maxUserDataBytes) bytes")
    }
  }

  /// Name, type, image, location and label keys; user data only by size.
  public var description: String {
    let keys = self.labels.keys.sorted().joined(separator: ",")
    let userData = self.userData.map { " user_data=\($0.utf8.count)B" } ?? ""
    return "CreateServerOpts(name=\(self.name) type=\(self.serverType) image=\(self.image) "
      + "location=\(self.location ?? "-") labels=[\(keys)]\(userData))"
  }
}

/// What `POST /servers` returned.
public struct CreateServerResult: Sendable, Equatable {
  public let server: Server
  /// The `create_server` action; the server is usable once it reaches `.success`.
  public let action: Action
  /// Follow-up actions (e.g. `start_server`), also worth waiting for.
  public let nextActions: [Action]

  public init(server: Server, action: Action, nextActions: [Action] = []) {
    self.server = server
    self.action = action
    self.nextActions = nextActions
  }
}
