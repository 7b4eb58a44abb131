import Foundation
import HetznerClient
import Testing

/// Real HTTP over loopback against ``LoopbackHTTPServer``; nothing leaves 127.0.0.1.
@Suite("CurlTransport over loopback")
struct CurlTransportTests {
  static func elapsedMs(_ start: ContinuousClock.Instant) -> Int64 {
    let parts = (ContinuousClock.now - start).components
    return parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000
  }

  @Test("status, headers and body come back, and the request arrives intact")
  func responseAndRequestRoundTrip() throws {
    let seen = Box<LoopbackHTTPServer.Request?>(nil)
    let server = try LoopbackHTTPServer { request in
      seen.mutate { $0 = request }
      return .json(
        429, #"{"error":{"code":"rate_limit_exceeded","message":"slow down"}}"#,
        headers: [
          ("RateLimit-Limit", "3600"), ("RateLimit-Remaining", "0"),
          ("RateLimit-Reset", "1700000123"), ("X-Correlation-Id", "abc-123"),
        ])
    }
    defer { server.stop() }
    let body = Data(#"{"hello":"world"}"#.utf8)
    let request = HTTPRequest(
      method: .post, url: server.baseURL + "/servers?x=1",
      headers: [HTTPHeader(name: "Authorization", value: "Bearer t0k")], body: body,
      timeoutMs: 5_000)

    let response = try CurlTransport().send(request)

    #expect(response.status == 429)
    #expect(response.correlationID == "abc-123")
    #expect(
      response.rateLimit == RateLimit(limit: 3600, remaining: 0, resetEpochSeconds: 1_700_000_123))
    #expect(String(decoding: response.body, as: UTF8.self).contains("slow down"))
    let received = try #require(seen.value)
    #expect(received.method == "POST")
    #expect(received.target == "/v1/servers?x=1")
    #expect(received.headers["authorization"] == "Bearer t0k")
    #expect(received.body == body)
  }

  @Test("a POST without a body still sends Content-Length 0")
  func emptyPostSendsZeroLength() throws {
    let seen = Box<LoopbackHTTPServer.Request?>(nil)
    let server = try LoopbackHTTPServer { request in
      seen.mutate { $0 = request }
      return .json(201, "{}")
    }
    defer { server.stop() }

    let response = try CurlTransport().send(
      HTTPRequest(method: .post, url: server.baseURL + "/actions", timeoutMs: 5_000))

    #expect(response.status == 201)
    #expect(seen.value?.method == "POST")
    #expect(seen.value?.headers["content-length"] == "0")
  }

  @Test("a server that never answers times out within the request timeout")
  func silentServerTimesOut() throws {
    let server = try LoopbackHTTPServer { _ in nil }
    defer { server.stop() }
    let start = ContinuousClock.now

    let error = try #require(throws: HTTPTransportError.self) {
      try CurlTransport().send(
        HTTPRequest(method: .get, url: server.baseURL + "/servers", timeoutMs: 300))
    }

    let elapsed = Self.elapsedMs(start)
    #expect(error.kind == .timedOut)
    #expect(error.retryClass == .transient)
    #expect(elapsed >= 250, "returned after \(elapsed) ms, before the timeout")
    #expect(elapsed < 2_000, "took \(elapsed) ms for a 300 ms timeout")
  }

  @Test("a refused connection fails fast as a transport error")
  func refusedConnectionFailsFast() throws {
    let port = try LoopbackHTTPServer.closedPort()
    let start = ContinuousClock.now

    let error = try #require(throws: HTTPTransportError.self) {
      try CurlTransport().send(
        HTTPRequest(method: .get, url: "http://127.0.0.1:\(port)/v1/servers", timeoutMs: 5_000))
    }

    #expect(error.kind == .connectionFailed)
    #expect(Self.elapsedMs(start) < 2_000)
  }

  @Test(
    "schemes other than http and https are refused",
    arguments: ["file:///etc/passwd", "ftp://127.0.0.1/"])
  func otherSchemesAreRefused(url: String) throws {
    let error = try #require(throws: HTTPTransportError.self) {
      try CurlTransport().send(HTTPRequest(method: .get, url: url, timeoutMs: 1_000))
    }
    #expect(error.kind == .invalidRequest)
  }

  @Test("a header value holding CR or LF is refused before sending")
  func headerInjectionIsRefused() throws {
    let server = try LoopbackHTTPServer { _ in .json(200, "{}") }
    defer { server.stop() }
    let request = HTTPRequest(
      method: .get, url: server.baseURL + "/servers",
      headers: [HTTPHeader(name: "Authorization", value: "Bearer a\r\nX-Evil: 1")],
      timeoutMs: 1_000)

    let error = try #require(throws: HTTPTransportError.self) {
      try CurlTransport().send(request)
    }

    #expect(!error.message.contains("Bearer"))
  }

  @Test("concurrent requests from many threads each get their own answer")
  func concurrentRequestsAreIndependent() async throws {
    let server = try LoopbackHTTPServer { request in
      .json(200, #"{"echo":"\#(request.target)"}"#)
    }
    defer { server.stop() }

    try await withThrowingTaskGroup(of: Void.self) { group in
      for index in 0..<8 {
        group.addTask {
          let url = server.baseURL + "/n/\(index)"
          let response = try CurlTransport().send(
            HTTPRequest(method: .get, url: url, timeoutMs: 10_000))
          #expect(String(decoding: response.body, as: UTF8.self).contains("/v1/n/\(index)"))
        }
      }
      try await group.waitForAll()
    }
  }
}
