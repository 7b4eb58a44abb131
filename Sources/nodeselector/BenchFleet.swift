import BenchSupport
import Foundation
import GRPCBridge
import NodeSelectorMessages

/// Builds, through the daemon's own RPCs, the fleets the bench phases call against:
/// adopted nodes (RegisterNode) of users named after the plan's user, so a bench never
/// touches anyone else's nodes and no cloud server is ever created.
///
/// - capacity (`<user>-cap`): N running nodes of mixed sizes and places, loads below the
///   default thresholds (CPU 5-74%, memory 5-79%);
/// - warm (`<user>-warm`): N warm nodes: each takes one set-up task (steered by reporting
///   the chosen node full), then every task is released, which makes each node warm;
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
    let ids = try self.register(user: user) { _ in
      var metrics = Metrics()
      metrics.cpuPercent = Self.gauge(20)
      metrics.memoryPercent = Self.gauge(30)
      return ("cx22", "fsn1", metrics)
    }
    // One set-up task per node, one at a time: the chosen node is then reported full
    // (memory 99%), so the next task goes to another node. Nothing is warm until every
    // node holds its task, so no set-up task claims a warm node instead.
    guard let client = self.clients.first else {
      return
    }
    var seen = Set<String>()
    for index in ids.indices {
      var select = SelectNodeRequest()
      select.userID = user
      select.taskID = "\(user)-setup-\(index)"
      let chosen = try client.call(NodeSelectorRPC.selectNode, select).node?.id ?? ""
      guard seen.insert(chosen).inserted else {
        throw RPCError(.internal, "set-up task \(index) went to \(chosen) a second time")
      }
      try self.report(client, node: chosen, memory: 99)
    }
    let chosen = Array(seen)
    try self.parallel(chosen.count) { client, index throws(RPCError) in
      try self.report(client, node: chosen[index], memory: 30)
    }
    let tasks = Array(ids.indices)
    try self.parallel(tasks.count) { client, index throws(RPCError) in
      var release = ReleaseNodeRequest()
      release.taskID = "\(user)-setup-\(index)"
      release.nodeID = try Self.nodeOf(client, task: release.taskID, user: user)
      _ = try client.call(NodeSelectorRPC.releaseNode, release)
    }
  }

  private func report(_ client: Client, node: String, memory: Double) throws(RPCError) {
    var report = ReportNodeStatusRequest()
    report.nodeID = node
    var metrics = Metrics()
    metrics.memoryPercent = Self.gauge(memory)
    report.metrics = metrics
    _ = try client.call(NodeSelectorRPC.reportNodeStatus, report)
  }

  /// The node a set-up task is on: a SelectNode retry with the same task id answers it.
  private static func nodeOf(_ client: Client, task: String, user: String) throws(RPCError)
    -> String
  {
    var select = SelectNodeRequest()
    select.userID = user
    select.taskID = task
    return try client.call(NodeSelectorRPC.selectNode, select).node?.id ?? ""
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
