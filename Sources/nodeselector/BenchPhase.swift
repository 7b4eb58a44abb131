import BenchSupport
import Foundation
import GRPCBridge
import NodeSelectorMessages

/// One measured phase: `concurrency` threads, each sending one scenario's calls back to
/// back on its channel (thread i uses channel i mod N), for the warm-up and then for the
/// measured duration or call count.
///
/// Each call is timed alone on the monotonic clock (`DispatchTime`, CLOCK_MONOTONIC on
/// Linux) from just before the request is serialized to just after the response is
/// decoded. Only calls that start after the warm-up count. CPU is sampled when the
/// measured window opens and after the last thread ends.
struct BenchPhase {
  let scenario: BenchPlan.Scenario
  let plan: BenchPlan
  let fleet: BenchFleet
  let clients: [Client]

  /// What one thread saw; merged into a ``BenchPhaseResult`` after the threads end.
  struct Tally {
    var latencies: [UInt64] = []
    var releaseLatencies: [UInt64] = []
    var codes: [String: Int] = [:]
    var methods: [String: Int] = [:]
    var doubleClaims = 0
  }

  func run() -> BenchPhaseResult {
    let threads = self.plan.concurrency
    let start = DispatchTime.now().uptimeNanoseconds
    let measureFrom = start + UInt64(self.plan.warmupMs) * 1_000_000
    let measureUntil = self.plan.durationMs.map { measureFrom + UInt64($0) * 1_000_000 }
    let merged = BenchShared(Tally())
    let held = BenchShared([String: Int]())
    let before = BenchShared<BenchCPU.Sample?>(nil)

    BenchThreads.run(threads + 1) { thread in
      guard thread < threads else {
        Self.sleep(until: measureFrom)
        before.with { $0 = BenchCPU.sample(serverPID: self.plan.serverPID) }
        return
      }
      let quota = self.plan.calls.map { ($0 + threads - 1 - thread) / threads }
      let client = self.clients[thread % self.clients.count]
      var tally = Tally()
      var sequence = 0
      while true {
        let began = DispatchTime.now().uptimeNanoseconds
        let measuring = began >= measureFrom
        if let measureUntil, began >= measureUntil { break }
        if let quota, measuring, tally.latencies.count >= quota { break }
        sequence += 1
        self.step(
          client, thread: thread, sequence: sequence, held: held, into: &tally,
          measuring: measuring)
      }
      merged.with { all in
        all.latencies += tally.latencies
        all.releaseLatencies += tally.releaseLatencies
        all.codes.merge(tally.codes, uniquingKeysWith: +)
        all.methods.merge(tally.methods, uniquingKeysWith: +)
        all.doubleClaims += tally.doubleClaims
      }
    }
    let ended = DispatchTime.now().uptimeNanoseconds
    let after = BenchCPU.sample(serverPID: self.plan.serverPID)
    return BenchPhaseResult(
      scenario: self.scenario, concurrency: threads, channels: self.clients.count,
      tally: merged.with { $0 }, seconds: Double(ended - measureFrom) / 1e9,
      cpu: before.with { $0 }.map { after.minus($0) })
  }

  /// Sends one call of the scenario (two for select-warm: the claim, then its release).
  private func step(
    _ client: Client, thread: Int, sequence: Int, held: BenchShared<[String: Int]>,
    into tally: inout Tally, measuring: Bool
  ) {
    let task = "\(self.plan.user)-\(self.scenario.rawValue)-\(thread)-\(sequence)"
    let began = DispatchTime.now().uptimeNanoseconds
    var code = "OK"
    var claimed: (node: String, warm: Bool)?
    do throws(RPCError) {
      switch self.scenario {
      case .health:
        _ = try client.call(HealthRPC.check, HealthCheckRequest())
      case .selectCapacity, .selectAdvice, .selectWarm, .selectNoFit:
        let response = try client.call(NodeSelectorRPC.selectNode, self.select(task))
        if measuring {
          tally.methods[response.method.description, default: 0] += 1
        }
        if self.scenario == .selectWarm, let node = response.node {
          claimed = (node.id, response.method == .warmClaim)
          tally.doubleClaims += Self.mark(node.id, response.method, held)
        }
      case .report:
        _ = try client.call(NodeSelectorRPC.reportNodeStatus, self.report(sequence))
      }
    } catch {
      code = error.code.description
    }
    let took = DispatchTime.now().uptimeNanoseconds - began
    if measuring {
      tally.latencies.append(took)
      tally.codes[code, default: 0] += 1
    }
    guard let claimed else { return }
    if claimed.warm {
      held.with { $0[claimed.node, default: 1] -= 1 }
    }
    self.release(client, node: claimed.node, task: task, into: &tally, measuring: measuring)
  }

  private func select(_ task: String) -> SelectNodeRequest {
    var request = SelectNodeRequest()
    switch self.scenario {
    case .selectWarm:
      request.userID = self.fleet.warmUser
      request.taskID = task
    case .selectNoFit:
      request.userID = self.fleet.noFitUser
      request.taskID = task
    default:
      request.userID = self.fleet.capacityUser
      request.taskID = self.scenario == .selectAdvice ? "" : task
      request.preferredSize = "cx22"
      request.preferredLocation = "fsn1"
    }
    return request
  }

  private func report(_ sequence: Int) -> ReportNodeStatusRequest {
    let nodes = self.fleet.noFitNodes
    var request = ReportNodeStatusRequest()
    request.nodeID = nodes.isEmpty ? "missing" : nodes[sequence % nodes.count]
    request.health = .healthy
    var metrics = Metrics()
    metrics.cpuPercent = BenchFleet.gauge(Double(10 + sequence % 60))
    metrics.memoryPercent = BenchFleet.gauge(Double(95 + sequence % 5))
    request.metrics = metrics
    return request
  }

  // TODO: this check sees a double claim only when both claims' answers arrive while the
  // first is still marked; a wrong claim answered after the first thread unmarked goes
  // unseen. Acceptable because the store benchmark (nodeselector-bench claims) audits
  // every claim from the events table; fix: an RPC that returns a node's events.
  /// Counts a warm claim of a node some other thread still holds from its own warm claim.
  /// Holds are dropped before the release is sent, and a node is only warm again once
  /// that release commits, so a hold never outlives its claim: no false alarms.
  private static func mark(
    _ node: String, _ method: SelectionMethod, _ held: BenchShared<[String: Int]>
  ) -> Int {
    guard method == .warmClaim else { return 0 }
    return held.with { holds in
      holds[node, default: 0] += 1
      return holds[node, default: 0] > 1 ? 1 : 0
    }
  }

  private func release(
    _ client: Client, node: String, task: String, into tally: inout Tally, measuring: Bool
  ) {
    var request = ReleaseNodeRequest()
    request.nodeID = node
    request.taskID = task
    let began = DispatchTime.now().uptimeNanoseconds
    let code: String
    do throws(RPCError) {
      _ = try client.call(NodeSelectorRPC.releaseNode, request)
      code = "OK"
    } catch {
      code = error.code.description
    }
    if measuring {
      tally.releaseLatencies.append(DispatchTime.now().uptimeNanoseconds - began)
      if code != "OK" {
        tally.codes["release " + code, default: 0] += 1
      }
    }
  }

  private static func sleep(until deadline: UInt64) {
    let now = DispatchTime.now().uptimeNanoseconds
    if deadline > now {
      usleep(UInt32(min((deadline - now) / 1_000, UInt64(UInt32.max))))
    }
  }
}
