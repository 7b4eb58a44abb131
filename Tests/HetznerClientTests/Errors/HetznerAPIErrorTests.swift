import Foundation
import HetznerClient
import Testing

@Suite("Hetzner API errors")
struct HetznerAPIErrorTests {
  /// (code, HTTP status Hetzner sends with it, expected class), per DESIGN.md.
  static let codes: [(HetznerAPIError.Code, Int, RetryClass)] = [
    (.placementError, 412, .capacity),
    (.resourceUnavailable, 503, .capacity),
    (.noSpaceLeftInLocation, 412, .capacity),
    (.rateLimitExceeded, 429, .transient),
    (.locked, 423, .transient),
    (.conflict, 409, .transient),
    (.serverError, 500, .transient),
    (.serviceError, 503, .transient),
    (.timeout, 504, .transient),
    (.unavailable, 503, .transient),
    (.maintenance, 503, .transient),
    (.resourceLimitExceeded, 403, .permanent),
    (.unauthorized, 401, .permanent),
    (.forbidden, 403, .permanent),
    (.tokenReadonly, 403, .permanent),
    (.invalidInput, 400, .permanent),
    (.jsonError, 400, .permanent),
    (.notFound, 404, .permanent),
    (.uniquenessError, 409, .permanent),
    (.protected, 423, .permanent),
  ]

  @Test("each API error body maps to its code, status and retry class", arguments: codes)
  func errorBodyMapsToCodeAndClass(
    code: HetznerAPIError.Code, status: Int, expected: RetryClass
  ) throws {
    let transport = FakeTransport(
      always: .apiError(
        status, code: code.rawValue, message: "nope",
        headers: [HTTPHeader(name: "X-Correlation-Id", value: "corr-42")]))
    let client = Fixtures.client(transport)

    let error = try #require(throws: HetznerClientError.self) {
      try client.createServer(Fixtures.options)
    }

    guard case .api(let api) = error else {
      Issue.record("expected an API error, got \(error)")
      return
    }
    #expect(api.code == code)
    #expect(api.message == "nope")
    #expect(api.httpStatus == status)
    #expect(api.correlationID == "corr-42")
    #expect(api.retryClass == expected)
    #expect(error.retryClass == expected)
  }

  /// An unknown code falls back to the status: 429 and 5xx retry, anything else does not.
  @Test(
    "an unknown code is classified by HTTP status",
    arguments: [
      (429, RetryClass.transient), (502, .transient), (400, .permanent), (418, .permanent),
    ]
  )
  func unknownCodeFallsBackToStatus(status: Int, expected: RetryClass) {
    let code = HetznerAPIError.Code(rawValue: "brand_new_code")
    #expect(code.retryClass(httpStatus: status) == expected)
  }

  @Test("a body that is not an API error is coded from the status")
  func nonJSONBodyIsCodedFromStatus() throws {
    let transport = FakeTransport(always: .json(502, "<html>bad gateway</html>"))

    let error = try #require(throws: HetznerClientError.self) {
      try Fixtures.client(transport).action(id: 1)
    }

    #expect(
      error
        == .api(
          HetznerAPIError(
            code: .serverError, message: "HTTP 502 without an API error body", httpStatus: 502)))
    #expect(error.retryClass == .transient)
  }

  @Test("rate-limit headers are kept on the error")
  func rateLimitHeadersAreKept() throws {
    let headers = [
      HTTPHeader(name: "ratelimit-limit", value: "3600"),
      HTTPHeader(name: "RateLimit-Remaining", value: "0"),
      HTTPHeader(name: "RateLimit-Reset", value: "1700000123"),
    ]
    let transport = FakeTransport(
      always: .apiError(429, code: "rate_limit_exceeded", headers: headers))

    let error = try #require(throws: HetznerClientError.self) {
      try Fixtures.client(transport).servers()
    }

    guard case .api(let api) = error else {
      Issue.record("expected an API error, got \(error)")
      return
    }
    #expect(api.rateLimit == RateLimit(limit: 3600, remaining: 0, resetEpochSeconds: 1_700_000_123))
  }

  @Test("an action that fails asynchronously with a capacity code is a capacity failure")
  func asyncActionFailureClassifiesLikeAnAPIError() throws {
    let failed = Action(
      id: 9, command: "create_server", status: .error, progress: 0,
      error: Action.Failure(code: .resourceUnavailable, message: "no capacity"))
    let transport = FakeTransport(always: .json(200, Fixtures.actionBody(failed)))

    let action = try Fixtures.client(transport).action(id: 9)

    #expect(action == failed)
    #expect(action.isFinished)
    #expect(action.error?.retryClass == .capacity)
  }
}
