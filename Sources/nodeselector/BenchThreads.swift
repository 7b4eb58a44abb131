import Foundation

/// Runs `body(index)` on `count` new threads at once and returns when all have finished.
///
/// One real thread per call in flight, each blocked in its own gRPC call, so "16 in
/// flight" means 16 calls the daemon sees at once, not what a pool happens to schedule.
enum BenchThreads {
  static func run(_ count: Int, _ body: @escaping (Int) -> Void) {
    let done = DispatchGroup()
    nonisolated(unsafe) let work = body
    for index in 0..<count {
      done.enter()
      let thread = Thread {
        work(index)
        done.leave()
      }
      thread.name = "bench-\(index)"
      thread.stackSize = 1 << 20
      thread.start()
    }
    done.wait()
  }
}

/// A value shared by bench threads, guarded by one lock.
final class BenchShared<Value>: @unchecked Sendable {
  // @unchecked: `value` is only touched while `lock` is held.
  private var value: Value
  private let lock = NSLock()

  init(_ value: Value) {
    self.value = value
  }

  func with<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    self.lock.lock()
    defer { self.lock.unlock() }
    return try body(&self.value)
  }
}
