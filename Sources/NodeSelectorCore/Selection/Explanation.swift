/// Why a selection came out the way it did, for logs, the CLI and the gRPC reply.
///
/// `considered` lists the user's nodes in the order they were looked at: warm nodes first
/// (only when the request had a task id), then running nodes. A node can appear twice when
/// its warm claim was lost to a request that left it running with room. Other users' nodes
/// never appear, not even as a count.
public struct Explanation: Sendable, Equatable, CustomStringConvertible {
  /// One line, e.g. "chose n2 (score 31.0) of 3 nodes: 1 unhealthy" or
  /// "0/5 nodes fit: 2 unhealthy, 2 at 10/10 workspaces, 1 memory 91% >= 85%".
  public var summary: String
  public var considered: [Consideration]

  public init(summary: String, considered: [Consideration]) {
    self.summary = summary
    self.considered = considered
  }

  public var description: String {
    self.summary
  }

  /// A warm node was claimed.
  static func claimedWarm(_ nodeID: String, considered: [Consideration]) -> Explanation {
    Self.chosen("claimed warm \(nodeID)", considered: considered)
  }

  /// A running node was assigned (`assigned`) or named as advice for a request without a
  /// task id.
  static func chose(
    _ nodeID: String, score: Double?, assigned: Bool, considered: [Consideration]
  ) -> Explanation {
    let verb = assigned ? "chose" : "advised"
    let figure = score.map { "score \(Figure.oneDecimal($0))" } ?? "no metrics"
    return Self.chosen("\(verb) \(nodeID) (\(figure))", considered: considered)
  }

  /// Nothing fit: every considered node with every reason it was passed over.
  static func noFit(considered: [Consideration]) -> Explanation {
    let head = "0/\(Self.nodeCount(considered)) nodes fit"
    return Explanation(summary: Self.joined(head, considered), considered: considered)
  }

  private static func chosen(_ head: String, considered: [Consideration]) -> Explanation {
    let line = "\(head) of \(Self.nodeCount(considered)) nodes"
    return Explanation(summary: Self.joined(line, considered), considered: considered)
  }

  private static func joined(_ head: String, _ considered: [Consideration]) -> String {
    let tally = Self.tally(considered)
    return tally.isEmpty ? head : "\(head): \(tally)"
  }

  /// Distinct node ids: a node seen in both stages counts once.
  ///
  /// Ids within one stage come from one listing of the store, where the id is the key, so
  /// only the two stages can share ids; they are hashed only when both stages saw nodes.
  private static func nodeCount(_ considered: [Consideration]) -> Int {
    let warm = considered.lazy.filter { $0.stage == .warm }.count
    guard warm > 0, warm < considered.count else {
      return considered.count
    }
    return Set(considered.map(\.nodeID)).count
  }

  /// "2 unhealthy, 1 memory 91% >= 85%": most frequent reason first, then first seen.
  ///
  /// Rejections are counted by value and each distinct value is formatted once; values
  /// that read the same (91.02% and 91.04% both read "91%") are then merged by phrase.
  private static func tally(_ considered: [Consideration]) -> String {
    var values = RejectionCounts()
    for position in considered.indices where !considered[position].rejections.isEmpty {
      values.add(considered[position].rejections)
    }
    var counts: [String: Int] = [:]
    var order: [String] = []
    for (rejection, count) in values.counted {
      let phrase = rejection.summaryPhrase
      if counts[phrase] == nil {
        order.append(phrase)
      }
      counts[phrase, default: 0] += count
    }
    let ranked = order.enumerated().sorted { lhs, rhs in
      let left = counts[lhs.element] ?? 0
      let right = counts[rhs.element] ?? 0
      return left != right ? left > right : lhs.offset < rhs.offset
    }
    return ranked.map { "\(counts[$0.element] ?? 0) \($0.element)" }.joined(separator: ", ")
  }
}

/// One node as a selection saw it.
public struct Consideration: Sendable, Equatable {
  /// Which step of the algorithm looked at the node.
  public enum Stage: String, Sendable, Equatable {
    /// Claiming an idle warm node (requests with a task id only).
    case warm
    /// Running nodes with spare capacity.
    case capacity
  }

  public var nodeID: String
  public var stage: Stage
  public var chosen: Bool
  /// Empty for the chosen node and for eligible nodes that were simply ranked lower.
  public var rejections: [Rejection]
  /// The load score of an eligible running node; nil for warm nodes, rejected nodes and
  /// nodes without metrics.
  public var score: Double?

  public init(
    nodeID: String,
    chosen: Bool = false,
    rejections: [Rejection] = [],
    score: Double? = nil,
    stage: Stage = .capacity
  ) {
    self.nodeID = nodeID
    self.stage = stage
    self.chosen = chosen
    self.rejections = rejections
    self.score = score
  }
}
