/// Polls a node agent's `/health` until it answers or time runs out.
///
/// Every `intervalMs` one request, bounded by min(interval, time left), for at most
/// `timeoutMs` in all. Success on any try ends the wait.
public struct HealthWaiter: Sendable {
  public var intervalMs: Int64
  public var timeoutMs: Int64
  private let probe: HealthProbe
  private let clock: Clock

  public init(probe: HealthProbe, clock: Clock, intervalMs: Int64, timeoutMs: Int64) {
    precondition(intervalMs > 0 && timeoutMs > 0, "health interval and timeout must be > 0")
    self.probe = probe
    self.clock = clock
    self.intervalMs = intervalMs
    self.timeoutMs = timeoutMs
  }

  public enum Outcome: Sendable, Equatable {
    case healthy(attempts: Int)
    case timedOut(attempts: Int)
    case stopped(attempts: Int)
  }

  /// Waits for the agent at `address:port`. `shouldStop` is polled between tries (a
  /// shutting-down daemon, a row that left `booting`).
  public func wait(
    address: String, port: Int, shouldStop: () -> Bool = { false }
  ) -> Outcome {
    let start = self.clock.nowMs()
    var attempts = 0
    while true {
      let tryStart = self.clock.nowMs()
      let left = self.timeoutMs - (tryStart - start)
      guard left > 0 else {
        return .timedOut(attempts: attempts)
      }
      guard !shouldStop() else {
        return .stopped(attempts: attempts)
      }

      attempts += 1
      let bound = min(self.intervalMs, left)
      if self.probe.check(address: address, port: port, timeoutMs: bound) {
        return .healthy(attempts: attempts)
      }

      let spent = self.clock.nowMs() - tryStart
      let pause = min(self.intervalMs - spent, self.timeoutMs - (self.clock.nowMs() - start))
      if pause > 0 {
        self.clock.sleep(milliseconds: pause)
      }
    }
  }
}
