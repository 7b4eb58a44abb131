/// Capped exponential backoff with full jitter.
///
/// Attempt `n` (1 after the first failure) waits a random time in
/// `0...min(cap, base * 2^(n-1))`. With base 500 ms and cap 30 s: attempt 1 -> up to 0.5 s,
/// 3 -> up to 2 s, 7 and later -> up to 30 s. The random source is injected so tests can pin
/// the jitter to either end of the range.
public struct Backoff: Sendable {
  public var baseMs: Int64
  public var capMs: Int64
  /// Returns a fraction in `0...1`; the default is uniform.
  public var random: @Sendable () -> Double

  public init(
    baseMs: Int64 = 500, capMs: Int64 = 30_000,
    random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
  ) {
    precondition(baseMs >= 0 && capMs >= baseMs, "backoff needs 0 <= base <= cap")
    self.baseMs = baseMs
    self.capMs = capMs
    self.random = random
  }

  /// The largest delay attempt `attempt` may draw, in milliseconds.
  public func ceilingMs(attempt: Int) -> Int64 {
    let doublings = min(max(attempt, 1) - 1, 40)
    let (grown, overflow) = self.baseMs.multipliedReportingOverflow(by: Int64(1) << doublings)
    return overflow ? self.capMs : min(self.capMs, grown)
  }

  /// A jittered delay for attempt `attempt`, in `0...ceilingMs(attempt:)` milliseconds.
  public func delayMs(attempt: Int) -> Int64 {
    let fraction = min(max(self.random(), 0), 1)
    return Int64((Double(self.ceilingMs(attempt: attempt)) * fraction).rounded(.down))
  }
}
