import Foundation

/// Time for every loop in provisioning (action polling, retries, health polling, warm
/// expiry). Tests replace it with a virtual clock whose `sleep` advances time at once, so a
/// 120 s timeout runs in microseconds.
public protocol Clock: Sendable {
  /// Milliseconds since the Unix epoch.
  func nowMs() -> Int64

  /// Blocks the calling thread for `milliseconds` (a virtual clock just advances).
  func sleep(milliseconds: Int64)
}

/// Wall-clock time and real sleeps.
public struct SystemClock: Clock {
  public init() {}

  public func nowMs() -> Int64 {
    Int64((Date().timeIntervalSince1970 * 1000).rounded())
  }

  public func sleep(milliseconds: Int64) {
    guard milliseconds > 0 else {
      return
    }
    Thread.sleep(forTimeInterval: Double(milliseconds) / 1000)
  }
}
