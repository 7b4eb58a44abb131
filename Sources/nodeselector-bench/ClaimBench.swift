import BenchSupport
import Foundation
import NodeSelectorCore
import SQLiteStore

/// Warm claims under contention on a real SQLite file (WAL, `synchronous=NORMAL`, as the
/// daemon opens it): T threads each run the full selection (list the user's warm nodes,
/// rank, re-read, claim with `BEGIN IMMEDIATE`) and then release the node, which makes it
/// warm again. All threads want the same best node, so most first tries lose and move on.
///
/// Double claims are counted, not assumed, from the store's own audit: every claim writes a
/// `warm -> running` event and every release that empties a node a `running -> warm` one,
/// in commit order. Two claims of one node with no return to warm between them would be a
/// double claim; any one fails the benchmark, as does a claim count that differs from the
/// claims the threads saw.
struct ClaimBench {
  let threads: Int
  let nodes: Int
  let seconds: Double
  let database: ScratchDatabase

  init(_ flags: BenchFlags) throws {
    self.threads = max(1, try flags.integer("threads", default: 16))
    self.nodes = max(1, try flags.integer("nodes", default: 1_000))
    self.seconds = try flags.seconds("seconds", default: 3)
    self.database = try ScratchDatabase(flags, name: "claims")
  }

  private struct Tally {
    var warmClaims = 0
    var fallbacks = 0
    var noFit = 0
    var lostTries = 0
    var doubleClaims = 0
    var latencies: [UInt64] = []
  }

  func run() throws {
    defer { self.database.remove() }
    let store = try NodeStore(path: self.database.path)
    let user = "claimer"
    for node in Fleet.nodes(count: self.nodes, userID: user, state: .warm) {
      _ = try store.insertAdopted(node)
    }

    let tally = BenchShared(Tally())
    let failure = BenchShared<String?>(nil)
    let deadline = Measure.nowNs() + UInt64(self.seconds * 1e9)
    let cpuBefore = Measure.processCPUNs()
    let started = Measure.nowNs()
    BenchThreads.run(self.threads) { index in
      do {
        try Self.loop(store, user: user, thread: index, until: deadline, tally: tally)
      } catch {
        failure.with { $0 = "thread \(index): \(error)" }
      }
    }
    let wallNs = Measure.nowNs() - started
    let cpuNs = Measure.processCPUNs() - cpuBefore
    if let message = failure.with({ $0 }) {
      throw BenchFailure(description: message)
    }
    var result = tally.with { $0 }
    let audited = try Self.audit(store, user: user)
    result.doubleClaims = audited.doubleClaims
    try store.close()
    try self.report(result, wallNs: wallNs, cpuNs: cpuNs)
    guard audited.claims == result.warmClaims else {
      throw BenchFailure(
        description: "the audit holds \(audited.claims) claims, threads saw \(result.warmClaims)")
    }
  }

  /// Walks every node's events in commit order: claims, and claims of a node not warm.
  private static func audit(_ store: NodeStore, user: String) throws -> (
    claims: Int, doubleClaims: Int
  ) {
    var claims = 0
    var doubles = 0
    for node in try store.nodes(userID: user, includeTerminal: true) {
      var warm = false
      for event in try store.events(nodeID: node.id) {
        if event.toState == .warm {
          warm = true
        } else if event.fromState == .warm, event.toState == .running {
          claims += 1
          doubles += warm ? 0 : 1
          warm = false
        }
      }
    }
    return (claims, doubles)
  }

  private static func loop(
    _ store: NodeStore, user: String, thread: Int, until deadline: UInt64,
    tally: BenchShared<Tally>
  ) throws {
    let selection = NodeSelection(inventory: store)
    var latencies: [UInt64] = []
    var sequence = 0
    while Measure.nowNs() < deadline {
      sequence += 1
      let task = "t\(thread)-\(sequence)"
      let request = SelectionRequest(userID: user, taskID: task)
      let start = Measure.nowNs()
      let outcome = try selection.select(request, nowMs: 1_800_000_000_000)
      latencies.append(Measure.nowNs() - start)
      let lost = outcome.explanation.considered.filter { $0.rejections == [.warmClaimLost] }
      guard let node = outcome.node else {
        tally.with { $0.noFit += 1 }
        continue
      }
      tally.with { tally in
        tally.lostTries += lost.count
        if case .claimedWarm = outcome {
          tally.warmClaims += 1
        } else {
          tally.fallbacks += 1
        }
      }
      _ = try store.release(nodeID: node.id, taskID: task, nowMs: 1_800_000_000_001)
    }
    tally.with { $0.latencies += latencies }
  }

  private func report(_ tally: Tally, wallNs: UInt64, cpuNs: UInt64) throws {
    let seconds = Double(wallNs) / 1e9
    let selections = tally.latencies.count
    let sorted = tally.latencies.sorted()
    print("claims: \(self.threads) threads, \(self.nodes) warm nodes of one user, one file")
    print("  each iteration: select (list warm, rank, re-read, claim) then release")
    print("  selections   \(selections) in \(Measure.fixed(seconds)) s")
    let claimRate = Measure.fixed(Double(tally.warmClaims) / seconds)
    print("  warm claims  \(tally.warmClaims) (\(claimRate) claims/s)")
    print("  fell back    \(tally.fallbacks) to a running node with room; no fit \(tally.noFit)")
    print("  lost tries   \(tally.lostTries) claims lost to another thread, then retried")
    print("  double claims \(tally.doubleClaims)")
    print(
      "  select latency p50 \(Measure.duration(Measure.percentile(sorted, 0.5)))"
        + "  p90 \(Measure.duration(Measure.percentile(sorted, 0.9)))"
        + "  p99 \(Measure.duration(Measure.percentile(sorted, 0.99)))"
        + "  max \(Measure.duration(sorted.last ?? 0))")
    let perIteration = selections > 0 ? cpuNs / UInt64(selections) : 0
    print("  process CPU  \(Measure.duration(perIteration)) per select+release")
    guard tally.doubleClaims == 0 else {
      throw BenchFailure(description: "\(tally.doubleClaims) double claims")
    }
  }
}
