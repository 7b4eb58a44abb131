import Testing

@testable import Provisioning

@Suite("Health polling with virtual time")
struct HealthWaiterTests {
  func waiter(_ answers: [Bool], latencyMs: Int64 = 0) -> (
    HealthWaiter, ScriptedProbe, VirtualClock
  ) {
    let clock = VirtualClock()
    let probe = ScriptedProbe(answers: answers, clock: clock, latencyMs: latencyMs)
    let waiter = HealthWaiter(probe: probe, clock: clock, intervalMs: 5_000, timeoutMs: 120_000)
    return (waiter, probe, clock)
  }

  @Test("an agent healthy on the first try ends the wait at once")
  func healthyOnFirstTry() {
    let (waiter, probe, clock) = self.waiter([true])
    let start = clock.nowMs()
    #expect(waiter.wait(address: "127.0.0.1", port: 8080) == .healthy(attempts: 1))
    #expect(probe.requestBounds == [5_000])
    #expect(clock.nowMs() == start)
  }

  @Test("an agent healthy on the fourth try is waited for, 5 s apart")
  func healthyAfterRetries() {
    let (waiter, probe, clock) = self.waiter([false, false, false, true])
    let start = clock.nowMs()
    #expect(waiter.wait(address: "127.0.0.1", port: 8080) == .healthy(attempts: 4))
    #expect(probe.requestBounds.count == 4)
    // Three failed tries, each followed by a full 5 s pause: 15 s of virtual time.
    #expect(clock.nowMs() - start == 15_000)
  }

  @Test("a silent agent times out after 120 s of virtual time with 24 tries")
  func timesOutAfter120Seconds() {
    let (waiter, probe, clock) = self.waiter([])
    let start = clock.nowMs()
    #expect(waiter.wait(address: "127.0.0.1", port: 8080) == .timedOut(attempts: 24))
    // 120 s / 5 s = 24 tries; the wait never runs past the timeout.
    #expect(clock.nowMs() - start == 120_000)
    #expect(probe.requestBounds.allSatisfy { $0 == 5_000 })
  }

  @Test("each request is bounded by min(interval, time left)")
  func requestBoundShrinksNearTheEnd() {
    let clock = VirtualClock()
    let probe = ScriptedProbe(answers: [], clock: clock, latencyMs: 4_000)
    let waiter = HealthWaiter(probe: probe, clock: clock, intervalMs: 5_000, timeoutMs: 12_000)
    #expect(waiter.wait(address: "127.0.0.1", port: 8080) == .timedOut(attempts: 3))
    // Tries start at 0 s, 5 s and 10 s; the last has only 2 s left.
    #expect(probe.requestBounds == [5_000, 5_000, 2_000])
  }

  @Test("a hung agent's slow requests count against the interval, not on top of it")
  func slowRequestsShortenThePause() {
    let clock = VirtualClock()
    let probe = ScriptedProbe(answers: [false, true], clock: clock, latencyMs: 3_000)
    let waiter = HealthWaiter(probe: probe, clock: clock, intervalMs: 5_000, timeoutMs: 120_000)
    #expect(waiter.wait(address: "127.0.0.1", port: 8080) == .healthy(attempts: 2))
    #expect(clock.slept == [2_000])
  }

  @Test("a stop request ends the wait before the next try")
  func stopsWhenAsked() {
    let (waiter, probe, _) = self.waiter([false, false, false])
    var checks = 0
    let outcome = waiter.wait(address: "127.0.0.1", port: 8080) {
      checks += 1
      return checks > 2
    }
    #expect(outcome == .stopped(attempts: 2))
    #expect(probe.requestBounds.count == 2)
  }
}
