import Foundation
import Testing

@testable import StructuredLog

@Suite("Structured log lines")
struct LoggerTests {
  @Test("each event is one JSON object with ts, level, logger, msg and the metadata")
  func writesOneJSONObjectPerEvent() throws {
    let sink = LogSink.collecting()
    let logger = Logger(label: "test", level: .debug, sink: sink).with("node.id", "n-1")

    logger.info("node running", ["duration_ms": "12"])

    let line = try #require(sink.lines.first)
    #expect(sink.lines.count == 1)
    #expect(!line.contains("\n"))
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
    #expect(object["level"] == "info")
    #expect(object["logger"] == "test")
    #expect(object["msg"] == "node running")
    #expect(object["node.id"] == "n-1")
    #expect(object["duration_ms"] == "12")
    #expect(object["ts"]?.hasSuffix("Z") == true)
    #expect(line.hasPrefix("{\"ts\":"))
  }

  @Test("events below the logger's level are dropped")
  func filtersByLevel() {
    let sink = LogSink.collecting()
    let logger = Logger(label: "test", level: .warning, sink: sink)
    logger.debug("hidden")
    logger.info("hidden")
    logger.warning("shown")
    logger.error("shown")
    #expect(sink.lines.count == 2)
  }

  @Test(
    "strings are quoted as JSON, control characters escaped, non-ASCII kept",
    arguments: [
      ("plain", "\"plain\""),
      ("a\"b\\c", "\"a\\\"b\\\\c\""),
      ("line\nbreak\ttab\r", "\"line\\nbreak\\ttab\\r\""),
      ("\u{01}\u{08}\u{0C}\u{1F}", "\"\\u0001\\b\\f\\u001f\""),
      ("zürich ✓", "\"zürich ✓\""),
    ])
  func quotesJSON(text: String, expected: String) throws {
    #expect(JSONText.quote(text) == expected)
    let decoded =
      try JSONSerialization.jsonObject(
        with: Data(expected.utf8), options: .fragmentsAllowed) as? String
    #expect(decoded == text)
  }

  @Test("level names parse back to their levels, and nothing else does")
  func parsesLevelNames() {
    for level in Logger.Level.allCases {
      #expect(Logger.Level(name: level.description) == level)
    }
    #expect(Logger.Level(name: "verbose") == nil)
  }

  @Test("lines from many threads never interleave")
  func concurrentLinesStayWhole() throws {
    let sink = LogSink.collecting()
    let logger = Logger(label: "test", sink: sink)
    DispatchQueue.concurrentPerform(iterations: 200) { index in
      logger.info("event", ["index": "\(index)"])
    }
    #expect(sink.lines.count == 200)
    for line in sink.lines {
      #expect(try JSONSerialization.jsonObject(with: Data(line.utf8)) is [String: String])
    }
  }
}
