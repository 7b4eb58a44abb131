import Foundation
import Provisioning

/// Time that moves only when someone sleeps: a 120 s timeout passes in microseconds.
final class VirtualClock: Clock, @unchecked Sendable {
  private let lock = NSLock()
  private var now: Int64
  private(set) var sleeps: [Int64] = []

  init(startMs: Int64 = 1_000_000) {
    self.now = startMs
  }

  func nowMs() -> Int64 {
    self.lock.lock()
    defer { self.lock.unlock() }
    return self.now
  }

  func sleep(milliseconds: Int64) {
    self.advance(milliseconds)
    self.lock.lock()
    self.sleeps.append(milliseconds)
    self.lock.unlock()
  }

  func advance(_ milliseconds: Int64) {
    self.lock.lock()
    defer { self.lock.unlock() }
    self.now += max(0, milliseconds)
  }

  var slept: [Int64] {
    self.lock.lock()
    defer { self.lock.unlock() }
    return self.sleeps
  }
}

/// A health probe that answers from a script and records each request's time bound.
final class ScriptedProbe: HealthProbe, @unchecked Sendable {
  private let lock = NSLock()
  private var answers: [Bool]
  private let clock: VirtualClock
  private let latencyMs: Int64
  private(set) var bounds: [Int64] = []

  /// - Parameters:
  ///   - answers: results in order; once used up, every further check fails.
  ///   - latencyMs: how long each failing check takes (a hung agent uses its whole bound
  ///     when latency exceeds it).
  init(answers: [Bool], clock: VirtualClock, latencyMs: Int64 = 0) {
    self.answers = answers
    self.clock = clock
    self.latencyMs = latencyMs
  }

  func check(address: String, port: Int, timeoutMs: Int64) -> Bool {
    self.lock.lock()
    self.bounds.append(timeoutMs)
    let answer = self.answers.isEmpty ? false : self.answers.removeFirst()
    self.lock.unlock()
    self.clock.advance(min(self.latencyMs, timeoutMs))
    return answer
  }

  var requestBounds: [Int64] {
    self.lock.lock()
    defer { self.lock.unlock() }
    return self.bounds
  }
}
