import Foundation
import HetznerClient
import Testing

@Suite("The token stays secret")
struct SecretRedactionTests {
  static let token = Fixtures.token

  /// Every textual form a caller might log.
  static func texts(_ value: Any) -> [String] {
    var dumped = ""
    dump(value, to: &dumped)
    return ["\(value)", String(reflecting: value), dumped]
  }

  @Test("an API error that echoes the token does not carry it")
  func apiErrorOmitsToken() throws {
    let transport = FakeTransport(
      always: .apiError(401, code: "unauthorized", message: "bad token \(Self.token)"))

    let error = try #require(throws: HetznerClientError.self) {
      try Fixtures.client(transport).servers()
    }

    for text in Self.texts(error) {
      #expect(!text.contains(Self.token))
    }
    #expect("\(error)".contains("[redacted]"))
  }

  @Test("a transport error that echoes the token does not carry it")
  func transportErrorOmitsToken() throws {
    let transport = FakeTransport { request throws(HTTPTransportError) in
      throw HTTPTransportError(
        kind: .connectionLost, message: "\(request.header("Authorization") ?? "")")
    }

    let error = try #require(throws: HetznerClientError.self) {
      try Fixtures.client(transport).action(id: 1)
    }

    for text in Self.texts(error) {
      #expect(!text.contains(Self.token))
    }
  }

  @Test("the client and its requests never print the token")
  func clientAndRequestOmitToken() throws {
    let transport = FakeTransport(always: .json(200, Fixtures.serverBody(Fixtures.server(1))))
    let client = Fixtures.client(transport)
    _ = try client.server(id: 1)
    let request = try #require(transport.requests.first)

    for text in Self.texts(client) + Self.texts(request) {
      #expect(!text.contains(Self.token))
    }
    #expect(request.debugDescription.contains("Authorization: [redacted]"))
  }

  @Test(
    "a token that could inject headers is refused before any request",
    arguments: ["", "abc\r\nX-Evil: 1", "tab\there", "ümlaut"])
  func unsafeTokenIsRefused(token: String) throws {
    let transport = FakeTransport(always: .json(200, "{}"))
    let client = HetznerCloud(baseURL: Fixtures.baseURL, token: token, transport: transport)

    let error = try #require(throws: HetznerClientError.self) { try client.servers() }

    #expect(
      error
        == .invalidOptions(
          HetznerValidationError(field: "token", reason: "empty or holds non-printable bytes")))
    #expect(transport.requests.isEmpty)
  }
}
