import Foundation

/// Decides whether and when to retry a failed Hetzner call. A pure value: no sleeping, no
/// state; the random source and the clock are injected.
///
/// The caller owns the loop; this only answers "wait how long, or give up?".
/// - permanent: never.
/// - capacity: `capacityRetriesInPlace` times after `capacityDelayMs`; after that nil, which
///   tells the caller to try another location.
/// - transient: ``Backoff`` up to `maxAttempts`; a 429 carrying `RateLimit-Reset` waits at
///   least until that time (bounded by `maxRateLimitWaitMs`).
///
/// A create that failed with a transport error may still have created the server: retry it
/// only under the same name, so a duplicate fails with `uniqueness_error`, and let the
/// reconciler find the first one by label.
// TODO: the daemon does not call this. Its provisioning loop (Provisioner+Create.swift)
// applies the same rules over the `CloudError` abstraction, so that tests can fake the
// cloud, sharing only ``Backoff``. One policy over ``RetryClass`` that both could use would
// remove the second copy of the rules.
public struct RetryPolicy: Sendable {
  /// Total tries allowed, the first included.
  public var maxAttempts: Int
  public var backoff: Backoff
  public var capacityRetriesInPlace: Int
  public var capacityDelayMs: Int64
  public var maxRateLimitWaitMs: Int64
  /// The current time in milliseconds since the Unix epoch.
  public var nowEpochMs: @Sendable () -> Int64

  public init(
    maxAttempts: Int = 5, backoff: Backoff = Backoff(), capacityRetriesInPlace: Int = 1,
    capacityDelayMs: Int64 = 5_000, maxRateLimitWaitMs: Int64 = 60_000,
    nowEpochMs: @escaping @Sendable () -> Int64 = {
      Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
  ) {
    self.maxAttempts = maxAttempts
    self.backoff = backoff
    self.capacityRetriesInPlace = capacityRetriesInPlace
    self.capacityDelayMs = capacityDelayMs
    self.maxRateLimitWaitMs = maxRateLimitWaitMs
    self.nowEpochMs = nowEpochMs
  }

  /// How long to wait before trying again, or nil to give up.
  ///
  /// - Parameters:
  ///   - error: what the failed try threw.
  ///   - attempt: tries made so far (1 after the first failure).
  /// - Returns: the delay in milliseconds (0 means retry at once), or nil.
  public func delayMs(after error: HetznerClientError, attempt: Int) -> Int64? {
    guard attempt < self.maxAttempts else {
      return nil
    }

    switch error.retryClass {
    case .permanent:
      return nil
    case .capacity:
      return attempt <= self.capacityRetriesInPlace ? self.capacityDelayMs : nil
    case .transient:
      let backoff = self.backoff.delayMs(attempt: attempt)
      guard let resetMs = self.rateLimitResetMs(error) else {
        return backoff
      }
      let untilReset = max(0, resetMs - self.nowEpochMs())
      return min(max(untilReset, backoff), max(self.maxRateLimitWaitMs, backoff))
    }
  }

  /// The same as ``delayMs(after:attempt:)``, as a `Duration`.
  public func delay(after error: HetznerClientError, attempt: Int) -> Duration? {
    self.delayMs(after: error, attempt: attempt).map { .milliseconds($0) }
  }

  /// `RateLimit-Reset` in epoch milliseconds, for a 429 that carried one.
  private func rateLimitResetMs(_ error: HetznerClientError) -> Int64? {
    guard case .api(let api) = error, api.httpStatus == 429 || api.code == .rateLimitExceeded,
      let reset = api.rateLimit?.resetEpochSeconds
    else {
      return nil
    }
    let (ms, overflow) = reset.multipliedReportingOverflow(by: 1000)
    return overflow ? nil : ms
  }
}
