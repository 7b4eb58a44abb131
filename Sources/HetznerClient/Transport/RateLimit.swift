/// Hetzner's rate-limit headers for one response.
public struct RateLimit: Sendable, Equatable {
  /// Requests allowed per hour.
  public let limit: Int?
  /// Requests left before the API answers 429.
  public let remaining: Int?
  /// When the budget is full again, in seconds since the Unix epoch.
  public let resetEpochSeconds: Int64?

  public init(limit: Int?, remaining: Int?, resetEpochSeconds: Int64?) {
    self.limit = limit
    self.remaining = remaining
    self.resetEpochSeconds = resetEpochSeconds
  }

  /// Nil when none of the three headers parses as a number.
  init?(limit: String?, remaining: String?, reset: String?) {
    let limit = limit.flatMap { Int($0) }
    let remaining = remaining.flatMap { Int($0) }
    let reset = reset.flatMap { Int64($0) }
    guard limit != nil || remaining != nil || reset != nil else {
      return nil
    }
    self.init(limit: limit, remaining: remaining, resetEpochSeconds: reset)
  }
}
