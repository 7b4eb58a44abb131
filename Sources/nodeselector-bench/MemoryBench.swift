import Foundation
import NodeSelectorCore
import SQLiteStore

/// Resident size with N nodes: of the store holding them (SQLite's page cache is bounded,
/// so this should barely move), and of one selection that reads all of them for one user
/// (every row becomes a ``Node`` and a ``Consideration``, so this grows with N).
///
/// `populate` only writes the nodes, so that a daemon can then be started on the file and
/// its own resident size read from `/proc/<pid>/status`.
struct MemoryBench {
  let nodes: Int
  let user: String
  let database: ScratchDatabase

  init(_ flags: BenchFlags) throws {
    self.nodes = max(1, try flags.integer("nodes", default: 100_000))
    self.user = flags.string("user", default: "bench-memory")
    self.database = try ScratchDatabase(flags, name: "memory")
  }

  func populateOnly() throws {
    let store = try NodeStore(path: self.database.path)
    let started = Measure.nowNs()
    try self.populate(store)
    try store.close()
    let seconds = Double(Measure.nowNs() - started) / 1e9
    print(
      "populate: \(self.nodes) running nodes of \(self.user) in \(self.database.path)"
        + " (\(Measure.fixed(seconds)) s, one transaction per node)")
  }

  func run() throws {
    defer { self.database.remove() }
    let before = Measure.residentKiB()
    let store = try NodeStore(path: self.database.path)
    try self.populate(store)
    let stored = Measure.residentKiB()

    let selection = NodeSelection(inventory: store)
    let request = SelectionRequest(userID: self.user, preferredSize: "cx32")
    let started = Measure.nowNs()
    let outcome = try selection.select(request, nowMs: 1_800_000_000_000)
    let selectNs = Measure.nowNs() - started
    let selected = Measure.residentKiB()
    try store.close()

    print("memory: \(self.nodes) running nodes of one user in one SQLite file")
    print("  resident before opening the store   \(before) KiB")
    print("  after writing \(self.nodes) nodes          \(stored) KiB")
    print(
      "  after one advice selection over all  \(selected) KiB"
        + " (took \(Measure.duration(selectNs)), \(outcome.explanation.considered.count)"
        + " nodes explained)")
  }

  /// Writes the nodes through the store's public insert, one transaction each, as
  /// RegisterNode would; ids and figures come from ``Fleet``.
  private func populate(_ store: NodeStore) throws {
    for node in Fleet.nodes(count: self.nodes, userID: self.user, state: .running) {
      var adopted = node
      adopted.workspaces = 0
      _ = try store.insertAdopted(adopted)
    }
  }
}
