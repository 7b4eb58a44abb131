import Foundation
import Testing

@testable import NodeSelectorCore

@Suite("Node metrics decoding")
struct NodeMetricsTests {
  static let rows: [(String, NodeMetrics)] = [
    (
      #"{"cpuPercent": 20, "loadAverage1m": 1.5, "memoryPercent": 40}"#,
      NodeMetrics(cpuPercent: 20, loadAverage1m: 1.5, memoryPercent: 40)
    ),
    (#"{"cpuPercent": -5, "memoryPercent": 150}"#, .none),  // negative, over 100
    // A figure of the wrong type is dropped; the others are kept.
    (
      #"{"cpuPercent": "high", "memoryPercent": 40}"#,
      NodeMetrics(cpuPercent: nil, loadAverage1m: nil, memoryPercent: 40)
    ),
    (#"{"loadAverage1m": -1}"#, .none),  // negative load
    (#"{"loadAverage1m": {"x": 1}, "memoryPercent": null}"#, .none),  // object, null
    ("{}", .none),
  ]

  @Test("decoding validates every figure like the initialiser does", arguments: rows)
  func decodingValidatesEveryFigure(json: String, expected: NodeMetrics) throws {
    let decoded = try JSONDecoder().decode(NodeMetrics.self, from: Data(json.utf8))
    #expect(decoded == expected)
  }

  @Test("encoding and decoding keep valid figures")
  func encodingAndDecodingKeepValidFigures() throws {
    let metrics = NodeMetrics(cpuPercent: 12.5, loadAverage1m: nil, memoryPercent: 99)
    let data = try JSONEncoder().encode(metrics)
    #expect(try JSONDecoder().decode(NodeMetrics.self, from: data) == metrics)
  }
}
