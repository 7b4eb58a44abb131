import Foundation

/// Runs `body(index)` on `count` new threads at once and returns when all have finished.
///
/// Real threads, not a dispatch pool: each stands for one caller blocked in its own call
/// (a gRPC call for `nodeselector bench`, SQLite for `nodeselector-bench`), so "16 in
/// flight" means 16 callers at once, not what a pool happens to schedule.
public enum BenchThreads {
  public static func run(_ count: Int, _ body: @escaping (Int) -> Void) {
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
public final class BenchShared<Value>: @unchecked Sendable {
  // @unchecked: `value` is only touched while `lock` is held.
  private var value: Value
  private let lock = NSLock()

  public init(_ value: Value) {
    self.value = value
  }

  public func with<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    self.lock.lock()
    defer { self.lock.unlock() }
    return try body(&self.value)
  }
}
