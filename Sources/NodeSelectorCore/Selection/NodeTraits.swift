/// What one node's type and location names mean for one request.
///
/// A fleet of thousands of nodes uses a handful of distinct names, so ``Resolver`` works
/// each name out once per selection and answers every later node from a short list.
struct NodeTraits: Sendable, Equatable {
  /// vCPUs of the node's type, nil when the type is not in the catalog.
  let vcpus: Int?
  /// The node's type is exactly the requested size.
  let sizeMatch: Bool
  /// The node is in the requested location.
  let locationMatch: Bool
  /// Why the node's type cannot serve the requested size: empty when it can, else one
  /// reason. An array shared by every node of the type, so a node refused for its size
  /// alone gets its rejection list without an allocation.
  let sizeRejections: [Rejection]

  /// Resolves one node without a memo (the public one-node entry points).
  init(_ node: Node, preferences: Preferences) {
    let type = TypeTraits(node.serverType, preferences: preferences)
    self.init(type, locationMatch: preferences.matchesLocation(node.location))
  }

  private init(_ type: TypeTraits, locationMatch: Bool) {
    self.vcpus = type.vcpus
    self.sizeMatch = type.sizeMatch
    self.sizeRejections = type.sizeRejections
    self.locationMatch = locationMatch
  }

  /// Everything that follows from a type name alone.
  private struct TypeTraits {
    let vcpus: Int?
    let sizeMatch: Bool
    let sizeRejections: [Rejection]

    init(_ name: String, preferences: Preferences) {
      let size = ServerType.named(name)
      let sizeMatch = preferences.matchesSize(name)
      self.vcpus = size?.vcpus
      self.sizeMatch = sizeMatch
      let rejection = preferences.sizeRejection(typeName: name, size: size, sizeMatch: sizeMatch)
      self.sizeRejections = rejection.map { [$0] } ?? []
    }
  }

  /// A per-selection memo of the names already resolved, searched linearly.
  ///
  /// Names compare with `String ==`, which for two spellings of one small name is a single
  /// word compare, so a hit never hashes, allocates or lowercases. Past ``limit`` distinct
  /// names (a fleet nobody runs) further names are resolved afresh: slower, same answer.
  struct Resolver {
    static let limit = 16

    let preferences: Preferences
    private var typeNames: [String] = []
    private var typeTraits: [TypeTraits] = []
    private var placeNames: [String] = []
    private var placeMatches: [Bool] = []

    init(_ preferences: Preferences) {
      self.preferences = preferences
    }

    /// The traits of a node with this type name and location.
    mutating func traits(type: String, location: String) -> NodeTraits {
      NodeTraits(self.type(type), locationMatch: self.place(location))
    }

    private mutating func type(_ name: String) -> TypeTraits {
      if let known = self.typeNames.firstIndex(of: name) {
        return self.typeTraits[known]
      }
      let traits = TypeTraits(name, preferences: self.preferences)
      if self.typeNames.count < Self.limit {
        self.typeNames.append(name)
        self.typeTraits.append(traits)
      }
      return traits
    }

    private mutating func place(_ name: String) -> Bool {
      guard self.preferences.location != nil else {
        return false
      }
      if let known = self.placeNames.firstIndex(of: name) {
        return self.placeMatches[known]
      }
      let match = self.preferences.matchesLocation(name)
      if self.placeNames.count < Self.limit {
        self.placeNames.append(name)
        self.placeMatches.append(match)
      }
      return match
    }
  }
}
