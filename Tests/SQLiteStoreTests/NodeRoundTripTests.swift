import NodeSelectorCore
import Testing

@testable import SQLiteStore

@Suite("Node rows")
struct NodeRoundTripTests {
  /// Every field set to a value that differs from its default.
  static let everyField = Node(
    id: "node-full", userID: "user-9", state: .running, serverType: "ccx33",
    location: "hel1", address: "127.0.0.9", agentPort: 9_443, cloudServerID: 4_200_000_001,
    provisioned: true, health: .unhealthy,
    metrics: NodeMetrics(cpuPercent: 12.5, loadAverage1m: 3.25, memoryPercent: 99.75),
    failureReason: "disk full", createdAtMs: 1_700_000_000_123,
    updatedAtMs: 1_700_000_000_456)

  /// Every optional left nil, in a state with a warm-since time.
  static let fewestFields = Node(
    id: "node-bare", userID: "user-1", state: .warm, serverType: "cx22", location: "fsn1",
    createdAtMs: 5, warmSinceMs: 7)

  @Test("every node field survives a write and a read", arguments: [everyField, fewestFields])
  func everyFieldRoundTrips(node: Node) throws {
    let store = try NodeStore(path: ":memory:")

    let inserted = try store.insertAdopted(node)
    let read = try #require(try store.node(id: node.id))

    #expect(inserted == node)
    #expect(read == node)
  }

  @Test("a warm node registered without warm-since gets its update time")
  func warmNodeGetsWarmSince() throws {
    let store = try NodeStore(path: ":memory:")
    var node = Node.make(state: .warm)
    node.updatedAtMs = 2_000

    let stored = try store.insertAdopted(node)

    #expect(stored.warmSinceMs == 2_000)
  }

  @Test("registering an id twice is a typed error and keeps the first row")
  func duplicateRegistrationIsRefused() throws {
    let store = try NodeStore(path: ":memory:")
    let first = try store.insertAdopted(.make())

    let error = try #require(throws: NodeStoreError.self) {
      try store.insertAdopted(.make(user: "someone-else"))
    }

    #expect(error.code == .nodeExists)
    #expect(try store.node(id: first.id) == first)
  }

  @Test("lists filter by user, state and terminal flag")
  func listsFilter() throws {
    let store = try NodeStore(path: ":memory:")
    _ = try store.insertAdopted(.make("a", state: .running, createdAtMs: 1))
    _ = try store.insertAdopted(.make("b", state: .warm, createdAtMs: 2))
    _ = try store.insertAdopted(.make("c", state: .failed, createdAtMs: 3))
    _ = try store.insertAdopted(.make("d", user: "user-2", state: .booting, createdAtMs: 4))

    #expect(try store.nodes(userID: "user-1", includeTerminal: false).map(\.id) == ["a", "b"])
    #expect(try store.nodes(userID: "user-1", includeTerminal: true).map(\.id) == ["a", "b", "c"])
    #expect(try store.nodes(userID: nil, includeTerminal: false).map(\.id) == ["a", "b", "d"])
    #expect(try store.nodes(inStates: [.booting, .failed]).map(\.id) == ["c", "d"])
    #expect(try store.nodes(inStates: []).isEmpty)
    #expect(try store.warmNodes(userID: "user-1").map(\.id) == ["b"])
    #expect(try store.runningNodes(userID: "user-1").map(\.id) == ["a"])
    #expect(try store.countLive(userID: "user-1") == 2)
  }

  @Test("status reports merge metrics and keep figures a report lacks")
  func statusMergesMetrics() throws {
    let store = try NodeStore(path: ":memory:")
    _ = try store.insertAdopted(.make())
    let first = NodeMetrics(cpuPercent: 40, loadAverage1m: 1.5, memoryPercent: 50)
    _ = try store.updateStatus(nodeID: "node-1", health: .healthy, metrics: first, nowMs: 2_000)

    let memoryOnly = NodeMetrics(cpuPercent: .nan, loadAverage1m: nil, memoryPercent: 70)
    let node = try #require(
      try store.updateStatus(nodeID: "node-1", health: nil, metrics: memoryOnly, nowMs: 3_000))

    #expect(node.health == .healthy)
    #expect(node.metrics == NodeMetrics(cpuPercent: 40, loadAverage1m: 1.5, memoryPercent: 70))
    #expect(node.updatedAtMs == 3_000)
    #expect(try store.updateStatus(nodeID: "gone", health: .healthy, metrics: nil, nowMs: 1) == nil)
  }
}
