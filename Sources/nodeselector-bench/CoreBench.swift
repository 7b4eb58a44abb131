import Foundation
import NodeSelectorCore

/// Times ``NodeSelection/select(_:nowMs:)`` for one user with N nodes, on the warm path
/// (N warm nodes: rank all, re-read and claim the best) and the capacity path (N running
/// nodes: filter, score and rank all, assign the best), over ``FixedInventory``.
///
/// Each size runs for at least `--min-time` seconds after one warm-up call; every call is
/// timed alone, and the median, p90 and the median per node are printed. With
/// `--iterations N` it runs exactly N calls and prints no timing: the mode for
/// `valgrind --tool=callgrind`, whose instruction counts do not depend on other work on
/// the machine (run once with 0 and once with N; the difference over N is per call).
struct CoreBench {
  let sizes: [Int]
  let paths: [String]
  let minTime: Double
  let iterations: Int?

  init(_ flags: BenchFlags) throws {
    self.sizes = try flags.integers("nodes", default: [10, 100, 1_000, 10_000, 100_000])
    let path = flags.string("path", default: "both")
    guard ["warm", "capacity", "both"].contains(path) else {
      throw BenchUsageError("--path wants warm, capacity or both, got '\(path)'")
    }
    self.paths = path == "both" ? ["warm", "capacity"] : [path]
    self.minTime = try flags.seconds("min-time", default: 0.3)
    self.iterations =
      flags.optionalString("iterations") == nil
      ? nil : try flags.integer("iterations", default: 0)
  }

  func run() throws {
    if self.iterations == nil {
      print("core: NodeSelection.select, one user, in-memory inventory, release build")
      print("path      nodes     median       p90   per node   calls  outcome")
    }
    for path in self.paths {
      for size in self.sizes {
        try self.measure(path: path, nodes: size)
      }
    }
  }

  private func measure(path: String, nodes count: Int) throws {
    let user = "bench"
    let nodes = Fleet.nodes(
      count: count, userID: user, state: path == "warm" ? .warm : .running)
    let inventory =
      path == "warm"
      ? FixedInventory(warm: nodes, running: []) : FixedInventory(warm: [], running: nodes)
    let selection = NodeSelection(inventory: inventory)
    let request = SelectionRequest(
      userID: user, taskID: "task-1", preferredSize: "cx32", preferredLocation: "nbg1")

    if let iterations = self.iterations {
      for _ in 0..<iterations {
        _ = try selection.select(request, nowMs: 1_800_000_000_000)
      }
      print("\(path) \(count) nodes: \(iterations) calls done")
      return
    }

    let first = try selection.select(request, nowMs: 1_800_000_000_000)
    var samples: [UInt64] = []
    let deadline = Measure.nowNs() + UInt64(self.minTime * 1e9)
    while samples.count < 5 || Measure.nowNs() < deadline {
      let start = Measure.nowNs()
      _ = try selection.select(request, nowMs: 1_800_000_000_000)
      samples.append(Measure.nowNs() - start)
    }
    samples.sort()
    let median = Measure.percentile(samples, 0.5)
    let perNode = Double(median) / Double(count)
    let outcome = first.node.map { "\(Self.method(first)) \($0.id)" } ?? "provision"
    print(
      [
        path.padding(toLength: 8, withPad: " ", startingAt: 0),
        String(count).leftPadded(7),
        Measure.duration(median).leftPadded(10),
        Measure.duration(Measure.percentile(samples, 0.9)).leftPadded(9),
        (String(format: "%.1f", perNode) + " ns").leftPadded(10),
        String(samples.count).leftPadded(7),
        " " + outcome,
      ].joined(separator: " "))
  }

  private static func method(_ outcome: SelectionOutcome) -> String {
    switch outcome {
    case .claimedWarm: return "warm_claim"
    case .existingCapacity: return "existing_capacity"
    case .provision: return "provision"
    }
  }
}

extension String {
  /// Right-aligns in `width` columns (never truncates).
  func leftPadded(_ width: Int) -> String {
    self.count >= width ? self : String(repeating: " ", count: width - self.count) + self
  }
}
