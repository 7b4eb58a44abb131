@testable import SQLiteStore

/// A seeded random number generator (SplitMix64), so a failing sequence can be replayed.
struct SeededGenerator: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) {
    self.state = seed
  }

  mutating func next() -> UInt64 {
    self.state &+= 0x9E37_79B9_7F4A_7C15
    var value = self.state
    value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
    value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
    return value ^ (value >> 31)
  }
}

extension NodeStore {
  /// Nodes whose stored `open_assignments` differs from a fresh count of their open
  /// assignment rows, as "id: stored != counted"; empty when the counter is right.
  func openAssignmentMismatches() throws -> [String] {
    let sql = """
      SELECT id, open_assignments, counted FROM (
        SELECT n.id, n.open_assignments,
          (SELECT COUNT(*) FROM assignments a
           WHERE a.node_id = n.id AND a.released_at_ms IS NULL) AS counted
        FROM nodes n)
      WHERE open_assignments != counted ORDER BY id
      """
    return try self.locked { db in
      try db.query(sql) { "\($0.text(0)): \($0.int(1)) != \($0.int(2))" }
    }
  }
}
