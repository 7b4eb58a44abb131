import Foundation
import GRPCBridge
import NodeSelectorMessages

/// Builds, through the daemon's own RPCs, the fleets the bench phases call against:
/// adopted nodes (RegisterNode) of users named after the plan's user, so a bench never
/// touches anyone else's nodes and no cloud server is ever created.
///
/// - capacity (`<user>-cap`): N running nodes of mixed sizes and places, loads below the
///   default thresholds (CPU 5-74%, memory 5-79%);
/// - warm (`<user>-warm`): N warm nodes. Each is registered with a location of its own,
///   selected for a set-up task that prefers that location (so exactly that node is
///   assigned), then released, which makes it warm;
/// - no-fit (`<user>-nofit`): N running nodes at memory 95%, over the 85% threshold.
// TODO: the fleets stay in the daemon's database after the run (a bench against the same
// daemon with the same --user adds another N nodes). Acceptable for a scratch daemon, which
// scripts/bench always uses; fix: DestroyNode (force) every node the bench registered.
struct BenchFleet {
  let clients: [Client]
  let plan: BenchPlan

  var capacityUser: String { self.plan.user + "-cap" }
  var warmUser: String { self.plan.user + "-warm" }
  var noFitUser: String { self.plan.user + "-nofit" }

  /// Node ids of the no-fit fleet, for the report phase.
  private(set) var noFitNodes: [String] = []

  /// Builds what the plan's phases need; returns how long it took, for the report.
  mutating func build() throws(RPCError) -> String {
    let started = DispatchTime.now().uptimeNanoseconds
    var built: [String] = []
    let needs = Set(self.plan.scenarios)
    if !needs.isDisjoint(with: [.selectCapacity, .selectAdvice]) {
      _ = try self.register(user: self.capacityUser) { Self.capacityNode($0) }
      built.append("\(self.plan.nodes) running (\(self.capacityUser))")
    }
    if needs.contains(.selectWarm) {
      try self.buildWarm()
      built.append("\(self.plan.nodes) warm (\(self.warmUser))")
    }
    if !needs.isDisjoint(with: [.selectNoFit, .report]) {
      self.noFitNodes = try self.register(user: self.noFitUser) { index in
        var metrics = Metrics()
        metrics.cpuPercent = Self.gauge(Double(10 + index % 50))
        metrics.memoryPercent = Self.gauge(95)
        return ("cx22", ["fsn1", "nbg1", "hel1"][index % 3], metrics)
      }
      built.append("\(self.plan.nodes) full (\(self.noFitUser))")
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    guard !built.isEmpty else {
      return "no fleet needed"
    }
    return built.joined(separator: ", ") + " in \(String(format: "%.1f", seconds)) s"
  }

  static func capacityNode(_ index: Int) -> (String, String, Metrics) {
    var metrics = Metrics()
    if index % 50 != 49 {
      metrics.cpuPercent = self.gauge(Double(5 + (index * 37) % 70))
      metrics.memoryPercent = self.gauge(Double(5 + (index * 53) % 75))
    }
    return (
      ["cx22", "cx32", "cx42"][index % 3], ["fsn1", "nbg1", "hel1"][(index / 3) % 3], metrics
    )
  }

  private func buildWarm() throws(RPCError) {
    let user = self.warmUser
    let ids = try self.register(user: user) { index in
      var metrics = Metrics()
      metrics.cpuPercent = Self.gauge(20)
      metrics.memoryPercent = Self.gauge(30)
      return ("cx22", "w\(index)", metrics)
    }
    // Every assignment first, then every release: a node released early would be warm,
    // and the next set-up task would claim it instead of its own node.
    try self.parallel(ids.count) { client, index throws(RPCError) in
      var select = SelectNodeRequest()
      select.userID = user
      select.taskID = "\(user)-setup-\(index)"
      select.preferredLocation = "w\(index)"
      let answer = try client.call(NodeSelectorRPC.selectNode, select)
      guard answer.node?.id == ids[index] else {
        throw RPCError(.internal, "set-up task \(index) went to \(answer.node?.id ?? "none")")
      }
    }
    try self.parallel(ids.count) { client, index throws(RPCError) in
      var release = ReleaseNodeRequest()
      release.nodeID = ids[index]
      release.taskID = "\(user)-setup-\(index)"
      _ = try client.call(NodeSelectorRPC.releaseNode, release)
    }
  }

  /// Registers N nodes of `user` from all clients at once; returns their ids in order.
  private func register(
    user: String, _ shape: @escaping (Int) -> (String, String, Metrics)
  ) throws(RPCError) -> [String] {
    let ids = BenchShared([String](repeating: "", count: self.plan.nodes))
    try self.parallel(self.plan.nodes) { client, index throws(RPCError) in
      let (size, location, metrics) = shape(index)
      var request = RegisterNodeRequest()
      request.userID = user
      request.address = "127.0.0.1"
      request.agentPort = 8080
      request.serverType = size
      request.location = location
      request.metrics = metrics
      let node = try client.call(NodeSelectorRPC.registerNode, request).node
      ids.with { $0[index] = node?.id ?? "" }
    }
    return ids.with { $0 }
  }

  /// Runs `body` for 0..<count on one thread per client; the first error wins.
  private func parallel(
    _ count: Int, _ body: @escaping (Client, Int) throws(RPCError) -> Void
  ) throws(RPCError) {
    let failure = BenchShared<RPCError?>(nil)
    let clients = self.clients
    BenchThreads.run(clients.count) { thread in
      var index = thread
      while index < count, failure.with({ $0 == nil }) {
        do throws(RPCError) {
          try body(clients[thread], index)
        } catch {
          failure.with { $0 = $0 ?? error }
        }
        index += clients.count
      }
    }
    if let error = failure.with({ $0 }) {
      throw RPCError(error.code, "building the fleet: \(error.message)")
    }
  }

  static func gauge(_ value: Double) -> Gauge {
    var gauge = Gauge()
    gauge.value = value
    return gauge
  }
}
