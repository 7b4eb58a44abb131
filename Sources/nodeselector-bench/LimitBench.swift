import BenchSupport
import Foundation
import NodeSelectorCore
import SQLiteStore

/// The node-limit transaction under contention: T threads race
/// ``NodeStore/reserveProvisioning(node:taskID:nodeLimit:nowMs:)`` for the same fresh user,
/// one user after another, with twice as many attempts per user as the limit allows.
/// Every user must end with exactly `--node-limit` live rows: fewer means a reservation
/// was refused wrongly, more means two transactions both saw room for the last node.
struct LimitBench {
  let threads: Int
  let users: Int
  let nodeLimit: Int
  let database: ScratchDatabase

  init(_ flags: BenchFlags) throws {
    self.threads = max(1, try flags.integer("threads", default: 16))
    self.users = max(1, try flags.integer("users", default: 200))
    self.nodeLimit = max(1, try flags.integer("node-limit", default: 10))
    self.database = try ScratchDatabase(flags, name: "limit")
  }

  private struct Tally {
    var reserved = 0
    var refused = 0
    var latencies: [UInt64] = []
  }

  func run() throws {
    defer { self.database.remove() }
    let store = try NodeStore(path: self.database.path)
    let attempts = (2 * self.nodeLimit + self.threads - 1) / self.threads
    let tally = BenchShared(Tally())
    let failure = BenchShared<String?>(nil)
    let (users, limit) = (self.users, self.nodeLimit)

    let cpuBefore = Measure.processCPUNs()
    let started = Measure.nowNs()
    BenchThreads.run(self.threads) { thread in
      var mine = Tally()
      do {
        for user in 0..<users {
          for attempt in 0..<attempts {
            let id = "u\(user)-t\(thread)-a\(attempt)"
            let node = Node(
              id: "n-" + id, userID: "user-\(user)", state: .creating, serverType: "cx22",
              location: "fsn1", provisioned: true, createdAtMs: 1_800_000_000_000)
            let start = Measure.nowNs()
            let outcome = try store.reserveProvisioning(
              node: node, taskID: "task-" + id, nodeLimit: limit, nowMs: 1_800_000_000_000)
            mine.latencies.append(Measure.nowNs() - start)
            if case .reserved = outcome {
              mine.reserved += 1
            } else {
              mine.refused += 1
            }
          }
        }
      } catch {
        failure.with { $0 = "thread \(thread): \(error)" }
      }
      tally.with {
        $0.reserved += mine.reserved
        $0.refused += mine.refused
        $0.latencies += mine.latencies
      }
    }
    let wallNs = Measure.nowNs() - started
    let cpuNs = Measure.processCPUNs() - cpuBefore
    if let message = failure.with({ $0 }) {
      throw BenchFailure(description: message)
    }

    let wrong = try (0..<self.users).filter {
      try store.countLive(userID: "user-\($0)") != self.nodeLimit
    }
    try store.close()
    self.report(tally.with { $0 }, wallNs: wallNs, cpuNs: cpuNs, attempts: attempts)
    guard wrong.isEmpty else {
      throw BenchFailure(description: "\(wrong.count) users do not hold exactly \(limit) nodes")
    }
    print("  every user holds exactly \(limit) live nodes")
  }

  private func report(_ tally: Tally, wallNs: UInt64, cpuNs: UInt64, attempts: Int) {
    let total = tally.reserved + tally.refused
    let seconds = Double(wallNs) / 1e9
    let sorted = tally.latencies.sorted()
    print(
      "limit: \(self.threads) threads x \(attempts) attempts per user, \(self.users) users,"
        + " node limit \(self.nodeLimit)")
    print(
      "  transactions \(total) in \(Measure.fixed(seconds)) s"
        + " (\(Measure.fixed(Double(total) / seconds))/s): \(tally.reserved) reserved,"
        + " \(tally.refused) refused at the limit")
    print(
      "  latency p50 \(Measure.duration(Measure.percentile(sorted, 0.5)))"
        + "  p90 \(Measure.duration(Measure.percentile(sorted, 0.9)))"
        + "  p99 \(Measure.duration(Measure.percentile(sorted, 0.99)))"
        + "  max \(Measure.duration(sorted.last ?? 0))")
    let perCall = total > 0 ? cpuNs / UInt64(total) : 0
    print("  process CPU  \(Measure.duration(perCall)) per transaction")
  }
}
