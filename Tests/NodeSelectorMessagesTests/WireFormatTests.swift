import NodeSelectorMessages
import Testing

/// Bytes written by hand from the protobuf encoding rules, so these tests prove the wire
/// format rather than only agreement between the encoder and the decoder.
struct WireCase: Sendable, CustomTestStringConvertible {
  let name: String
  let message: any WireMessage
  let bytes: [UInt8]

  var testDescription: String { self.name }
}

@Suite("Wire format")
struct WireFormatTests {
  static let cases: [WireCase] = [
    // field 1 (user_id), LEN: tag 1<<3|2 = 0x0a, length 1, "u"
    WireCase(
      name: "SelectNodeRequest user_id",
      message: with(SelectNodeRequest()) { $0.userID = "u" },
      bytes: [0x0a, 0x01, 0x75]
    ),
    // field 1 (status), VARINT: tag 0x08, SERVING = 1
    WireCase(
      name: "HealthCheckResponse SERVING",
      message: with(HealthCheckResponse()) { $0.status = .serving },
      bytes: [0x08, 0x01]
    ),
    // field 2 (method), VARINT: tag 0x10, 99 = 0x63 (a number the contract does not name)
    WireCase(
      name: "SelectNodeResponse unknown method",
      message: with(SelectNodeResponse()) { $0.method = SelectionMethod(rawValue: 99) },
      bytes: [0x10, 0x63]
    ),
    // agent_port 7: 0x38, 300 = 0xac 0x02; provisioned 9: 0x48 0x01;
    // metrics 11: 0x5a len 11 { cpu_percent 1: 0x0a len 9 { value 1, I64: 0x09, 0.5 LE } }
    WireCase(
      name: "Node port, flag and nested gauge",
      message: with(Node()) {
        $0.agentPort = 300
        $0.provisioned = true
        $0.metrics = with(Metrics()) { $0.cpuPercent = Samples.gauge(0.5) }
      },
      bytes: [
        0x38, 0xac, 0x02, 0x48, 0x01, 0x5a, 0x0b, 0x0a, 0x09,
        0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xe0, 0x3f,
      ]
    ),
    // cloud_server_id 8, VARINT: 0x40, -1 as ten bytes (int64 two's complement)
    WireCase(
      name: "Node negative cloud_server_id",
      message: with(Node()) { $0.cloudServerID = -1 },
      bytes: [0x40, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]
    ),
    // reasons 3, LEN, once per element: 0x1a 0x01 "a", 0x1a 0x00, 0x1a 0x01 "b"
    WireCase(
      name: "Consideration repeated reasons",
      message: with(Consideration()) { $0.reasons = ["a", "", "b"] },
      bytes: [0x1a, 0x01, 0x61, 0x1a, 0x00, 0x1a, 0x01, 0x62]
    ),
    // nodes 1, LEN, once per element: { id 1: "x" }, then an empty node
    WireCase(
      name: "ListNodesResponse repeated nodes",
      message: with(ListNodesResponse()) { $0.nodes = [with(Node()) { $0.id = "x" }, Node()] },
      bytes: [0x0a, 0x03, 0x0a, 0x01, 0x78, 0x0a, 0x00]
    ),
  ]

  @Test("encoding writes the hand-written bytes", arguments: cases)
  func encodingMatchesKnownBytes(_ wire: WireCase) {
    #expect(wire.message.serializedBytes() == wire.bytes)
  }

  @Test("the hand-written bytes decode to the known values", arguments: cases)
  func knownBytesDecode(_ wire: WireCase) throws {
    #expect(try decodesToEqualValue(wire.message, from: wire.bytes))
  }

  @Test("a field sent twice keeps its last value, in any field order")
  func lastScalarWins() throws {
    // task_id 2: "t"; user_id 1: "a"; user_id 1: "b"
    let bytes: [UInt8] = [0x12, 0x01, 0x74, 0x0a, 0x01, 0x61, 0x0a, 0x01, 0x62]

    let request = try SelectNodeRequest(serializedBytes: bytes)

    #expect(request.userID == "b")
    #expect(request.taskID == "t")
  }

  @Test("unknown fields are skipped")
  func unknownFieldsAreSkipped() throws {
    // field 15, VARINT 1; then user_id "u"
    let request = try SelectNodeRequest(serializedBytes: [0x78, 0x01, 0x0a, 0x01, 0x75])

    #expect(request.userID == "u")
  }

  @Test("invalid UTF-8 in a string is repaired, not trusted")
  func invalidUTF8IsRepaired() throws {
    let request = try SelectNodeRequest(serializedBytes: [0x0a, 0x03, 0xff, 0xfe, 0x41])

    #expect(request.userID == "\u{FFFD}\u{FFFD}A")
  }

  @Test("a string holding NUL is cut at the NUL (protobuf-c strings are C strings)")
  func stringIsCutAtNUL() throws {
    let request = try SelectNodeRequest(serializedBytes: [0x0a, 0x03, 0x61, 0x00, 0x62])

    #expect(request.userID == "a")
  }
}
