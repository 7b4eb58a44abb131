import Foundation
import NodeSelectorMessages

/// Renders responses as text for people. Nothing here is meant to be parsed: scripts use
/// `--json`, whose shape is stable.
enum TextOutput {
  /// A node as a header line and indented details; unset or empty fields are left out.
  ///
  ///     node n-3f2a (cx32, fsn1, running) for user alice
  ///       address:    10.0.0.5:8080
  ///
  /// - Parameter detailed: adds the cloud server and the timestamps (for `get`).
  static func node(_ node: Node?, detailed: Bool = false) -> String {
    guard let node else { return "no node in the answer" }
    return self.nodeLines(node, detailed: detailed).joined(separator: "\n")
  }

  static func selection(_ response: SelectNodeResponse) -> String {
    var lines = response.node.map { self.nodeLines($0, detailed: false) } ?? ["no node named"]
    lines.append(self.field("how", "\(response.method)"))
    if let explanation = response.explanation {
      lines.append(self.field("why", explanation.summary))
      let width = explanation.considered.map(\.nodeID.count).max() ?? 0
      // Only a choice among running nodes scores them; a warm claim or a retry does not.
      let scored = response.method == .existingCapacity
      for consideration in explanation.considered {
        lines.append(
          "    " + self.consideration(consideration, idWidth: width, scored: scored))
      }
    }
    return lines.joined(separator: "\n")
  }

  /// One node per line under a header; columns are as wide as their widest cell.
  static func table(_ nodes: [Node]) -> String {
    guard !nodes.isEmpty else { return "no nodes" }
    let header = [
      "ID", "USER", "STATE", "SIZE", "LOCATION", "ADDRESS", "TASKS", "HEALTH", "CPU", "LOAD",
      "MEM",
    ]
    let rows =
      [header]
      + nodes.map { node in
        [
          node.id, node.userID, "\(node.state)", self.dash(node.serverType),
          self.dash(node.location), self.dash(self.address(node)), "\(node.workspaces)",
          "\(node.health)", self.percent(node.metrics?.cpuPercent) ?? "-",
          self.load(node.metrics?.loadAverage1m) ?? "-",
          self.percent(node.metrics?.memoryPercent) ?? "-",
        ]
      }
    let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
      let cells = row.enumerated().map { column, cell in
        column == row.count - 1 ? cell : self.padded(cell, to: widths[column])
      }
      return cells.joined(separator: "  ")
    }.joined(separator: "\n")
  }

  private static func nodeLines(_ node: Node, detailed: Bool) -> [String] {
    let traits = [node.serverType, node.location, "\(node.state)"].filter { !$0.isEmpty }
    var lines = ["node \(node.id) (\(traits.joined(separator: ", "))) for user \(node.userID)"]
    if !node.address.isEmpty {
      lines.append(self.field("address", self.address(node)))
    }
    lines.append(self.field("workspaces", "\(node.workspaces)"))
    lines.append(self.field("health", "\(node.health)"))
    if let metrics = node.metrics.flatMap(self.metrics) {
      lines.append(self.field("metrics", metrics))
    }
    if node.warmSinceUnixMs != 0 {
      lines.append(self.field("warm since", self.time(node.warmSinceUnixMs)))
    }
    if !node.failureReason.isEmpty {
      lines.append(self.field("failure", node.failureReason))
    }
    guard detailed else { return lines }

    let origin = node.provisioned ? "provisioned by this service" : "adopted (never deleted)"
    let server = node.cloudServerID == 0 ? "" : ", cloud server \(node.cloudServerID)"
    lines.append(self.field("origin", origin + server))
    lines.append(self.field("created", self.time(node.createdAtUnixMs)))
    lines.append(self.field("updated", self.time(node.updatedAtUnixMs)))
    return lines
  }

  /// "n-3f2a  chosen  score 31.0" or "n-77b1  passed  unhealthy, 10/10 workspaces".
  ///
  /// The proto's score is 0 for a node that was not scored, so 0 is shown only where it is a
  /// real score: a node without rejection reasons in a choice that scored (`scored`).
  private static func consideration(
    _ consideration: Consideration, idWidth: Int, scored: Bool
  ) -> String {
    var notes: [String] = []
    if consideration.score != 0 || (scored && consideration.reasons.isEmpty) {
      notes.append("score " + String(format: "%.1f", consideration.score))
    }
    notes += consideration.reasons
    let verdict = consideration.chosen ? "chosen" : "passed"
    let head = self.padded(consideration.nodeID, to: idWidth) + "  " + verdict
    return notes.isEmpty ? head : head + "  " + notes.joined(separator: ", ")
  }

  /// "cpu 31.0%, load 0.52, memory 40.0%", with only the reported figures; nil for none.
  private static func metrics(_ metrics: Metrics) -> String? {
    let parts = [
      self.percent(metrics.cpuPercent).map { "cpu \($0)" },
      self.load(metrics.loadAverage1m).map { "load \($0)" },
      self.percent(metrics.memoryPercent).map { "memory \($0)" },
    ].compactMap { $0 }
    return parts.isEmpty ? nil : parts.joined(separator: ", ")
  }

  private static func percent(_ gauge: Gauge?) -> String? {
    gauge.map { String(format: "%.1f%%", $0.value) }
  }

  private static func load(_ gauge: Gauge?) -> String? {
    gauge.map { String(format: "%.2f", $0.value) }
  }

  private static func address(_ node: Node) -> String {
    guard !node.address.isEmpty, node.agentPort != 0 else { return node.address }
    let host = node.address.contains(":") ? "[\(node.address)]" : node.address
    return "\(host):\(node.agentPort)"
  }

  /// UTC, to the second: "2025-03-01 12:00:05 UTC"; "-" for 0 (never set).
  private static func time(_ unixMilliseconds: Int64) -> String {
    guard unixMilliseconds != 0 else { return "-" }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
    return formatter.string(from: Date(timeIntervalSince1970: Double(unixMilliseconds) / 1000))
  }

  private static func field(_ label: String, _ value: String) -> String {
    "  " + self.padded(label + ":", to: 12) + value
  }

  private static func padded(_ text: String, to width: Int) -> String {
    text + String(repeating: " ", count: max(0, width - text.count))
  }

  private static func dash(_ text: String) -> String {
    text.isEmpty ? "-" : text
  }
}
