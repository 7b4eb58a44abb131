import GRPCBridge
import NodeSelectorMessages

/// `nodeselector bench`: a load generator against a running daemon.
extension Commands {
  static let bench = CommandSpec(
    name: "bench",
    summary: "load-test a daemon: calls/s, latency percentiles, errors, CPU per call",
    details: """
      Builds its own fleets through RegisterNode, SelectNode and ReleaseNode, for users
      named after --user (<user>-cap, <user>-warm, <user>-nofit), then runs each phase of
      --mix in turn: --concurrency threads, each with one call in flight, sharing
      --channels gRPC channels. Prints calls/s, p50/p90/p99/max latency, statuses other
      than the expected one, and CPU per call (the daemon's only with --server-pid).
      It adds nodes and assignments to the daemon's database: point it at a scratch
      daemon (scripts/bench starts one), never at a production one.
      select-capacity never releases: each call, warm-up included, takes one workspace,
      so N nodes answer N x the daemon's --workspace-limit calls, then FAILED_PRECONDITION.
      Phases: health, select-capacity (assigns a task), select-advice (no task: nothing
      written), select-warm (claim then release), select-nofit (FAILED_PRECONDITION is
      the expected answer), report (ReportNodeStatus).
      """,
    flags: BenchPlan.flags,
    prepare: { flags throws(UsageError) in
      let plan = try BenchPlan(flags: flags)
      return { client throws(RPCError) in
        try BenchRun(plan: plan, client: client).run()
      }
    })
}

/// Opens the channels, builds the fleets, runs the phases, renders the report.
struct BenchRun {
  let plan: BenchPlan
  let client: Client

  func run() throws(RPCError) -> CommandOutput {
    var clients: [Client] = []
    for _ in 0..<self.plan.channels {
      do {
        let channel = try GRPCChannel(target: self.client.target)
        clients.append(
          Client(channel: channel, timeoutMilliseconds: self.client.timeoutMilliseconds))
      } catch {
        throw RPCError(.unavailable, "\(error)")
      }
    }
    _ = try self.client.call(HealthRPC.check, HealthCheckRequest())

    var fleet = BenchFleet(clients: clients, plan: self.plan)
    let built = try fleet.build()
    let phases = self.plan.scenarios.map { scenario in
      BenchPhase(scenario: scenario, plan: self.plan, fleet: fleet, clients: clients).run()
    }
    let report = BenchReport(
      plan: self.plan, target: self.client.target, fleet: built, phases: phases)
    let failed = phases.contains { !$0.errors.isEmpty || $0.doubleClaims > 0 || $0.calls == 0 }
    return CommandOutput(text: report.text, json: report.json, exitCode: failed ? 1 : 0)
  }
}
