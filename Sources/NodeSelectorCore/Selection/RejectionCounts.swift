/// Counts ``Rejection`` values in first-seen order, without hashing in the common case.
///
/// A selection over thousands of nodes usually sees a handful of distinct rejection lists
/// ("size cx22 < cx32" thousands of times, often as one shared array), so whole lists are
/// first matched against the few seen before (`Array ==` answers at once for a shared
/// buffer) and single values against a short list. Past ``linearLimit`` distinct values
/// (per-node CPU figures, say) an index by hash takes over, so counting stays linear.
struct RejectionCounts {
  static let linearLimit = 8

  /// Each distinct value with its count, in the order first seen.
  private(set) var counted: [(rejection: Rejection, count: Int)] = []
  private var index: [Rejection: Int] = [:]
  /// Rejection lists seen before, with the slots in ``counted`` of their values.
  private var lists: [(rejections: [Rejection], slots: [Int])] = []

  /// Counts every value of one node's list.
  mutating func add(_ rejections: [Rejection]) {
    guard !rejections.isEmpty else {
      return
    }
    for known in self.lists.indices where self.lists[known].rejections == rejections {
      for slot in self.lists[known].slots {
        self.counted[slot].count += 1
      }
      return
    }
    let slots = rejections.map { self.add($0) }
    if self.lists.count < Self.linearLimit {
      self.lists.append((rejections, slots))
    }
  }

  /// Counts one value; returns its slot in ``counted``.
  @discardableResult
  mutating func add(_ rejection: Rejection) -> Int {
    if self.counted.count <= Self.linearLimit {
      for slot in self.counted.indices where self.counted[slot].rejection == rejection {
        self.counted[slot].count += 1
        return slot
      }
    } else if let slot = self.index[rejection] {
      self.counted[slot].count += 1
      return slot
    }
    self.counted.append((rejection, 1))
    let slot = self.counted.count - 1
    if self.counted.count > Self.linearLimit {
      if self.index.isEmpty {
        for (known, entry) in self.counted.enumerated() {
          self.index[entry.rejection] = known
        }
      } else {
        self.index[rejection] = slot
      }
    }
    return slot
  }
}
