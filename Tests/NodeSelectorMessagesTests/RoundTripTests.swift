import NodeSelectorMessages
import Testing

@Suite("Round trips through protobuf-c")
struct RoundTripTests {
  @Test("every message type has an all-fields sample and a default")
  func samplesCoverEveryMessageType() {
    let sampled = Samples.allFieldsSet.map { String(describing: type(of: $0)) }
    let defaults = Samples.defaults.map { String(describing: type(of: $0)) }

    #expect(Set(sampled) == Set(defaults))
    #expect(defaults.count == 21)
  }

  @Test(
    "a message with every field set decodes to an equal value",
    arguments: MessageCase.cases(Samples.allFieldsSet)
  )
  func allFieldsSurviveARoundTrip(_ sample: MessageCase) throws {
    let bytes = sample.message.serializedBytes()

    #expect(!bytes.isEmpty)
    #expect(try decodesToEqualValue(sample.message, from: bytes))
  }

  @Test(
    "a default message encodes to zero bytes and decodes from them",
    arguments: MessageCase.cases(Samples.defaults)
  )
  func defaultMessageIsEmptyOnTheWire(_ sample: MessageCase) throws {
    #expect(sample.message.serializedBytes().isEmpty)
    #expect(try decodesToEqualValue(sample.message, from: []))
  }

  @Test(
    "enum numbers the contract does not name survive a round trip",
    arguments: [Int32(99), 7, -1, .min, .max]
  )
  func unknownEnumNumbersSurvive(_ number: Int32) throws {
    var response = SelectNodeResponse()
    response.method = SelectionMethod(rawValue: number)
    var node = Node()
    node.state = NodeState(rawValue: number)
    response.node = node

    let decoded = try SelectNodeResponse(serializedBytes: response.serializedBytes())

    #expect(decoded.method.rawValue == number)
    #expect(decoded.node?.state.rawValue == number)
  }

  @Test("an unset message field stays unset; a set empty one stays set")
  func messagePresenceSurvives() throws {
    var unset = ReportNodeStatusRequest()
    unset.nodeID = "node-1"
    var setEmpty = unset
    setEmpty.metrics = Metrics()

    let decodedUnset = try ReportNodeStatusRequest(serializedBytes: unset.serializedBytes())
    let decodedSet = try ReportNodeStatusRequest(serializedBytes: setEmpty.serializedBytes())

    #expect(decodedUnset.metrics == nil)
    #expect(decodedSet.metrics == Metrics())
  }

  @Test("messages encode and decode from many tasks at once")
  func concurrentRoundTrips() async {
    let failures = await withTaskGroup(of: Int.self) { group in
      for _ in 0..<8 {
        group.addTask {
          var failures = 0
          for _ in 0..<100 {
            for message in Samples.allFieldsSet {
              let equal = try? decodesToEqualValue(message, from: message.serializedBytes())
              failures += equal == true ? 0 : 1
            }
          }
          return failures
        }
      }
      return await group.reduce(0, +)
    }

    #expect(failures == 0)
  }
}

/// Decodes `bytes` as the type of `message` and compares with it.
func decodesToEqualValue<Message: WireMessage>(
  _ message: Message,
  from bytes: [UInt8]
) throws -> Bool {
  try Message(serializedBytes: bytes) == message
}
