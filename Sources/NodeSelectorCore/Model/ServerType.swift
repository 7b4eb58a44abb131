/// A Hetzner Cloud server type: the node's size.
///
/// The catalog is what lets the core normalise a load average (by `vcpus`) and compare sizes
/// (a node smaller than the requested size is never chosen). Figures are Hetzner's published
/// ones for the shared (cx, cpx) and dedicated (ccx) lines.
public struct ServerType: Sendable, Equatable, Hashable {
  public let name: String
  public let vcpus: Int
  public let memoryGiB: Int

  public init(name: String, vcpus: Int, memoryGiB: Int) {
    self.name = name
    self.vcpus = vcpus
    self.memoryGiB = memoryGiB
  }

  /// Whether this type is at least as large as `other` in both vCPUs and memory.
  public func covers(_ other: ServerType) -> Bool {
    self.vcpus >= other.vcpus && self.memoryGiB >= other.memoryGiB
  }

  /// The known types by name.
  public static let catalog: [String: ServerType] = {
    let all = [
      ServerType(name: "cx22", vcpus: 2, memoryGiB: 4),
      ServerType(name: "cx32", vcpus: 4, memoryGiB: 8),
      ServerType(name: "cx42", vcpus: 8, memoryGiB: 16),
      ServerType(name: "cx52", vcpus: 16, memoryGiB: 32),
      ServerType(name: "cpx11", vcpus: 2, memoryGiB: 2),
      ServerType(name: "cpx21", vcpus: 3, memoryGiB: 4),
      ServerType(name: "cpx31", vcpus: 4, memoryGiB: 8),
      ServerType(name: "cpx41", vcpus: 8, memoryGiB: 16),
      ServerType(name: "cpx51", vcpus: 16, memoryGiB: 32),
      ServerType(name: "ccx13", vcpus: 2, memoryGiB: 8),
      ServerType(name: "ccx23", vcpus: 4, memoryGiB: 16),
      ServerType(name: "ccx33", vcpus: 8, memoryGiB: 32),
    ]
    return Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
  }()

  /// The catalog entry for `name` (case-insensitive), or nil when unknown.
  ///
  /// Catalog names are lower case, so a name in that spelling is found without lowercasing.
  public static func named(_ name: String) -> ServerType? {
    if let exact = catalog[name] {
      return exact
    }
    return CaseFolding.isFolded(name) ? nil : catalog[name.lowercased()]
  }
}
