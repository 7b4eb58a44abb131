import NodeSelectorCore

/// Input checks run before anything touches the store or the cloud. Each failure names
/// the field and what would be accepted.
enum Validation {
  static let maxIDLength = 128

  static func selection(_ request: SelectionRequest) throws(BrokerError) -> SelectionRequest {
    var clean = request
    clean.userID = try self.identifier(request.userID, field: "user_id")
    clean.taskID = try self.optionalIdentifier(request.taskID, field: "task_id")
    clean.preferredSize = try self.serverType(request.preferredSize, field: "preferred_size")
    clean.preferredLocation = try self.location(
      request.preferredLocation, field: "preferred_location")
    return clean
  }

  static func identifier(_ value: String, field: String) throws(BrokerError) -> String {
    guard !value.isEmpty else {
      throw BrokerError(.invalidArgument, "\(field) is required")
    }
    guard value.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
      throw BrokerError(.invalidArgument, "\(field) is only white space")
    }
    guard value.utf8.count <= self.maxIDLength else {
      throw BrokerError(
        .invalidArgument, "\(field) is \(value.utf8.count) bytes; at most \(self.maxIDLength)")
    }
    guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
    else {
      throw BrokerError(.invalidArgument, "\(field) contains control characters")
    }
    return value
  }

  static func optionalIdentifier(_ value: String?, field: String) throws(BrokerError)
    -> String?
  {
    guard let value, !value.isEmpty else {
      return nil
    }
    return try self.identifier(value, field: field)
  }

  static func serverType(_ value: String?, field: String) throws(BrokerError) -> String? {
    guard let value, !value.isEmpty else {
      return nil
    }
    guard let known = ServerType.named(value) else {
      let names = ServerType.catalog.keys.sorted().joined(separator: ", ")
      throw BrokerError(
        .invalidArgument, "\(field) \"\(value)\" is not a known server type (\(names))")
    }
    return known.name
  }

  static func location(_ value: String?, field: String) throws(BrokerError) -> String? {
    guard let value, !value.isEmpty else {
      return nil
    }
    guard Location.isKnown(value) else {
      let names = Location.known.sorted().joined(separator: ", ")
      throw BrokerError(
        .invalidArgument, "\(field) \"\(value)\" is not a Hetzner location (\(names))")
    }
    return value
  }

  /// A host name or an IP address, as an agent address must be.
  static func address(_ value: String) throws(BrokerError) -> String {
    let address = try self.identifier(value, field: "address")
    let allowed = address.unicodeScalars.allSatisfy { scalar in
      scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
        || ".-:[]".unicodeScalars.contains(scalar)
    }
    guard allowed, address.utf8.count <= 253 else {
      throw BrokerError(
        .invalidArgument, "address \"\(address)\" is not a host name or an IP address")
    }
    return address
  }
}
