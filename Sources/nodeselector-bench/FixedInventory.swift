import NodeSelectorCore

/// An inventory that answers from arrays built once, so a benchmark times the selection
/// core and nothing else: listing returns the stored array (no copy until written), a
/// re-read is one dictionary look-up, and every claim or assignment wins.
final class FixedInventory: NodeInventory {
  let warm: [Node]
  let running: [Node]
  private let byID: [String: Node]

  init(warm: [Node], running: [Node]) {
    self.warm = warm
    self.running = running
    let all = warm + running
    self.byID = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
  }

  func warmNodes(userID: String) throws -> [Node] {
    self.warm
  }

  func runningNodes(userID: String) throws -> [Node] {
    self.running
  }

  func node(id: String) throws -> Node? {
    self.byID[id]
  }

  func claimWarm(nodeID: String, userID: String, taskID: String, nowMs: Int64) throws -> Bool {
    true
  }

  func assign(
    nodeID: String, userID: String, taskID: String, workspaceLimit: Int, nowMs: Int64
  ) throws -> Bool {
    true
  }
}

/// Deterministic fleets: the same `count` always gives the same nodes, so runs compare.
enum Fleet {
  static let sizes = ["cx22", "cx32", "cx42"]
  static let locations = ["fsn1", "nbg1", "hel1"]

  /// `count` nodes of `userID` in `state`, with mixed sizes, places and loads below the
  /// standard thresholds (CPU 5-74%, memory 5-79%), a few without metrics.
  static func nodes(
    count: Int, userID: String, state: NodeState, idPrefix: String = "n"
  ) -> [Node] {
    (0..<count).map { index in
      let metrics =
        index % 50 == 49
        ? NodeMetrics.none
        : NodeMetrics(
          cpuPercent: Double(5 + (index * 37) % 70), loadAverage1m: nil,
          memoryPercent: Double(5 + (index * 53) % 75))
      return Node(
        id: "\(idPrefix)-\(userID)-\(index)", userID: userID, state: state,
        serverType: self.sizes[index % self.sizes.count],
        location: self.locations[(index / 3) % self.locations.count],
        address: "127.0.0.1", health: .healthy, metrics: metrics,
        workspaces: index % 4, createdAtMs: 1_700_000_000_000 + Int64(index),
        warmSinceMs: state == .warm ? 1_700_000_000_000 + Int64(index) : nil)
    }
  }
}
