import NodeSelectorMessages
import Testing

/// Hostile or damaged bytes must throw ``MessageDecodingError``, never trap or read out of
/// bounds. Every case runs against every message type.
@Suite("Malformed input")
struct MalformedInputTests {
  static let malformed: [(name: String, bytes: [UInt8])] = [
    ("LEN field longer than the input", [0x0a, 0x05, 0x61]),
    ("tag without its value", [0x08]),
    ("varint cut short", [0x08, 0x80]),
    ("varint over ten bytes", [0x08] + [UInt8](repeating: 0xff, count: 11) + [0x01]),
    ("wire type 7", [0x0f, 0x00]),
    ("field number 0", [0x00, 0x01]),
    ("fixed64 cut short", [0x09, 0x00, 0x00]),
    ("LEN length over 2 GiB", [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]),
  ]

  @Test(
    "each malformed input throws for every message type",
    arguments: MessageCase.cases(Samples.defaults)
  )
  func malformedInputThrows(_ type: MessageCase) {
    for (name, bytes) in Self.malformed {
      #expect(outcome(decoding: bytes, as: type.message) == .threw, "\(name)")
    }
  }

  @Test("the error names the message and the input length")
  func errorDescribesTheInput() {
    do {
      _ = try SelectNodeRequest(serializedBytes: [0x0a, 0x05, 0x61])
      Issue.record("decoding a truncated field succeeded")
    } catch {
      #expect(error.messageName == "nodeselector.v1.SelectNodeRequest")
      #expect(error.byteCount == 3)
      #expect(error.description == "cannot decode nodeselector.v1.SelectNodeRequest from 3 bytes")
    }
  }

  @Test(
    "every prefix of a full message throws or re-encodes to exactly that prefix",
    arguments: MessageCase.cases(Samples.allFieldsSet)
  )
  func truncatedMessagesThrowOrStopAtAFieldBoundary(_ sample: MessageCase) {
    let bytes = sample.message.serializedBytes()
    var threw = 0

    for length in 0..<bytes.count {
      let prefix = Array(bytes[..<length])
      switch outcome(decoding: prefix, as: sample.message) {
      case .threw: threw += 1
      case .decoded(let reencoded): #expect(reencoded == prefix, "prefix of \(length) bytes")
      }
    }

    #expect(threw > 0)
  }

  @Test(
    "random bytes never crash; what decodes re-encodes stably",
    arguments: MessageCase.cases(Samples.defaults)
  )
  func randomBytesAreSafe(_ type: MessageCase) {
    var random = SplitMix64(seed: 0x5EED_0001)
    var threw = 0

    for _ in 0..<300 {
      let bytes = random.bytes(count: Int(random.next() % 64))
      guard case .decoded(let once) = outcome(decoding: bytes, as: type.message) else {
        threw += 1
        continue
      }
      #expect(outcome(decoding: once, as: type.message) == .decoded(reencoded: once))
    }

    #expect(threw > 100)
  }

  @Test(
    "random bytes behind a LEN field that overruns the input always throw",
    arguments: MessageCase.cases(Samples.defaults)
  )
  func randomTruncatedBytesThrow(_ type: MessageCase) {
    var random = SplitMix64(seed: 0x5EED_0002)

    for _ in 0..<300 {
      let body = random.bytes(count: Int(random.next() % 100))
      let overrun = UInt8(body.count + 1 + Int(random.next() % 20))
      let bytes = [0x0a, overrun] + body

      #expect(outcome(decoding: bytes, as: type.message) == .threw, "\(bytes)")
    }
  }
}

/// What decoding did: threw, or gave a message whose encoding is `reencoded`.
enum DecodeOutcome: Equatable {
  case threw
  case decoded(reencoded: [UInt8])
}

/// Decodes `bytes` as the type of `example`.
func outcome<Message: WireMessage>(decoding bytes: [UInt8], as example: Message) -> DecodeOutcome {
  do {
    return .decoded(reencoded: try Message(serializedBytes: bytes).serializedBytes())
  } catch {
    return .threw
  }
}

/// A small seeded generator (SplitMix64), so random inputs are the same on every run.
struct SplitMix64 {
  private var state: UInt64

  init(seed: UInt64) {
    self.state = seed
  }

  mutating func next() -> UInt64 {
    self.state &+= 0x9E37_79B9_7F4A_7C15
    var mixed = self.state
    mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
    mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
    return mixed ^ (mixed >> 31)
  }

  mutating func bytes(count: Int) -> [UInt8] {
    (0..<count).map { _ in UInt8(truncatingIfNeeded: self.next()) }
  }
}
