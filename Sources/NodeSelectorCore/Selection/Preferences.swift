/// A request's size and location wishes, resolved once per selection.
///
/// The requested size is both a preference and a minimum. A node of exactly the requested
/// type matches. A node of another known type that covers the requested one (at least as
/// many vCPUs and as much memory) is allowed as a mismatch; a smaller one is refused. When
/// either type name is missing from the ``ServerType`` catalog the minimum cannot be
/// checked, so the node is refused unless its type name equals the requested one. With no
/// size requested every node is allowed, unknown types included, and none "matches".
/// Names compare case-insensitively; see ``CaseFolding`` for why that costs no allocation.
struct Preferences: Sendable {
  /// Lowercased requested type name; nil for "any size".
  let size: String?
  let sizeType: ServerType?
  /// Lowercased requested location; nil for "anywhere".
  let location: String?

  init(_ request: SelectionRequest) {
    let size = Self.normalised(request.preferredSize)
    self.size = size
    self.sizeType = size.flatMap(ServerType.named)
    self.location = Self.normalised(request.preferredLocation)
  }

  /// Whether a node type name is exactly the requested one.
  func matchesSize(_ typeName: String) -> Bool {
    guard let size = self.size else {
      return false
    }
    return CaseFolding.equal(typeName, lowered: size)
  }

  /// Whether a node location is the requested one.
  func matchesLocation(_ location: String) -> Bool {
    guard let wanted = self.location else {
      return false
    }
    return CaseFolding.equal(location, lowered: wanted)
  }

  /// Why a node of type `typeName` cannot serve the requested size, or nil when it can.
  ///
  /// - Parameters:
  ///   - size: the catalog entry for `typeName`, nil when unknown.
  ///   - sizeMatch: ``matchesSize(_:)`` for `typeName`.
  func sizeRejection(typeName: String, size: ServerType?, sizeMatch: Bool) -> Rejection? {
    guard let wanted = self.size, !sizeMatch else {
      return nil
    }
    guard let required = self.sizeType else {
      return .unknownSize(wanted)
    }
    guard let own = size else {
      return .unknownSize(typeName)
    }
    return own.covers(required) ? nil : .tooSmall(size: own.name, required: required.name)
  }

  /// Blank counts as absent: an empty proto string means "no preference".
  private static func normalised(_ value: String?) -> String? {
    guard let value, !value.allSatisfy(\.isWhitespace) else {
      return nil
    }
    return value.lowercased()
  }
}
