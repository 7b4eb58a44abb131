/// Hands out elements best first, paying for a full sort only when the first one is not
/// enough.
///
/// The first element comes from one linear pass; the rest are sorted on the second call.
/// A selection almost always stops at the first (its claim or assignment wins), so ranking
/// n nodes usually costs n - 1 comparisons instead of n log n. `ranksBefore` must be a
/// strict total order (break every tie, e.g. by position) so that the pass and the sort
/// agree on one order.
struct BestFirst<Element> {
  private var elements: [Element]
  private var next = 0
  private let ranksBefore: (Element, Element) -> Bool

  init(_ elements: [Element], by ranksBefore: @escaping (Element, Element) -> Bool) {
    self.elements = elements
    self.ranksBefore = ranksBefore
  }

  /// The best element not handed out yet, nil when none is left.
  mutating func pop() -> Element? {
    guard self.next < self.elements.count else {
      return nil
    }
    if self.next == 0 {
      var best = 0
      for index in self.elements.indices.dropFirst()
      where self.ranksBefore(self.elements[index], self.elements[best]) {
        best = index
      }
      self.elements.swapAt(0, best)
    } else if self.next == 1 {
      self.elements[1...].sort(by: self.ranksBefore)
    }
    defer { self.next += 1 }
    return self.elements[self.next]
  }

  /// Every element, best first.
  mutating func all() -> [Element] {
    var ordered: [Element] = []
    ordered.reserveCapacity(self.elements.count - self.next)
    while let element = self.pop() {
      ordered.append(element)
    }
    return ordered
  }
}
