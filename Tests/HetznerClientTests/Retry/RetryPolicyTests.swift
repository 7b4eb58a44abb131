import HetznerClient
import Testing

@Suite("Retry policy")
struct RetryPolicyTests {
  static let nowMs: Int64 = 1_700_000_000_000

  /// Jitter pinned to the top of the range, clock pinned at `nowMs`.
  static func policy(fraction: Double = 1.0) -> RetryPolicy {
    RetryPolicy(
      maxAttempts: 5, backoff: Backoff(baseMs: 500, capMs: 30_000, random: { fraction }),
      capacityRetriesInPlace: 1, capacityDelayMs: 5_000, maxRateLimitWaitMs: 60_000,
      nowEpochMs: { nowMs })
  }

  static func api(_ code: HetznerAPIError.Code, _ status: Int, reset: Int64? = nil)
    -> HetznerClientError
  {
    let limit = reset.map { RateLimit(limit: 3600, remaining: 0, resetEpochSeconds: $0) }
    return .api(HetznerAPIError(code: code, message: "m", httpStatus: status, rateLimit: limit))
  }

  @Test(
    "permanent failures are never retried",
    arguments: [
      api(.resourceLimitExceeded, 403), api(.unauthorized, 401), api(.forbidden, 403),
      api(.invalidInput, 400), .invalidOptions(HetznerValidationError(field: "name", reason: "r")),
      .transport(HTTPTransportError(kind: .invalidRequest, message: "bad url")),
    ])
  func permanentFailuresAreNotRetried(error: HetznerClientError) {
    #expect(Self.policy().delayMs(after: error, attempt: 1) == nil)
  }

  @Test("a capacity failure retries once in place, then hands over to another location")
  func capacityRetriesOnceInPlace() {
    let error = Self.api(.placementError, 412)
    #expect(Self.policy().delayMs(after: error, attempt: 1) == 5_000)
    #expect(Self.policy().delayMs(after: error, attempt: 2) == nil)
  }

  /// Jitter at 1.0, so each delay is the backoff ceiling for that attempt.
  @Test(
    "transient failures back off until the attempts run out",
    arguments: [(1, 500), (2, 1_000), (3, 2_000), (4, 4_000), (5, nil)] as [(Int, Int64?)])
  func transientFailuresBackOff(attempt: Int, delay: Int64?) {
    let errors: [HetznerClientError] = [
      Self.api(.locked, 423), Self.api(.conflict, 409), Self.api(.serverError, 500),
      .transport(HTTPTransportError(kind: .timedOut, message: "slow")),
      .transport(HTTPTransportError(kind: .connectionFailed, message: "refused")),
    ]
    for error in errors {
      #expect(Self.policy().delayMs(after: error, attempt: attempt) == delay, "\(error)")
    }
  }

  /// now = 1_700_000_000 s; the delay is max(reset - now, backoff), at most 60 s.
  @Test(
    "a 429 waits until RateLimit-Reset",
    arguments: [
      (1_700_000_010, 0.0, 10_000),  // reset 10 s ahead, no jitter -> 10 s
      (1_700_000_010, 1.0, 10_000),  // backoff 500 ms < 10 s -> still 10 s
      (1_699_999_990, 1.0, 500),  // reset already passed -> plain backoff
      (1_700_000_600, 0.0, 60_000),  // 600 s ahead -> capped at 60 s
    ] as [(Int64, Double, Int64)])
  func rateLimitWaitsForReset(reset: Int64, fraction: Double, delay: Int64) {
    let error = Self.api(.rateLimitExceeded, 429, reset: reset)
    #expect(Self.policy(fraction: fraction).delayMs(after: error, attempt: 1) == delay)
  }

  @Test("a 429 without a reset header uses plain backoff")
  func rateLimitWithoutResetUsesBackoff() {
    let error = Self.api(.rateLimitExceeded, 429)
    #expect(Self.policy(fraction: 0.5).delayMs(after: error, attempt: 2) == 500)
  }

  @Test("the Duration form matches the millisecond form")
  func durationMatchesMilliseconds() {
    let error = Self.api(.conflict, 409)
    #expect(Self.policy().delay(after: error, attempt: 3) == .milliseconds(2_000))
  }
}
