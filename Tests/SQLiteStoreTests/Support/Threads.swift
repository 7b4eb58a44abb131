import Foundation

/// Runs `body(index)` on `count` real threads that start together, and waits for all.
///
/// Every thread is created and parked first, then all are released at once, so the calls
/// really overlap instead of running one after another as they are spawned.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
  let parked = DispatchSemaphore(value: 0)
  let start = DispatchSemaphore(value: 0)
  let finished = DispatchGroup()

  for index in 0..<count {
    finished.enter()
    let thread = Thread {
      parked.signal()
      start.wait()
      body(index)
      finished.leave()
    }
    thread.start()
  }

  for _ in 0..<count {
    parked.wait()
  }
  for _ in 0..<count {
    start.signal()
  }
  finished.wait()
}

/// A value shared by test threads, guarded by a lock.
final class Locked<Value>: @unchecked Sendable {
  // @unchecked: `value` is only touched while `lock` is held.
  private var value: Value
  private let lock = NSLock()

  init(_ value: Value) {
    self.value = value
  }

  func update(_ body: (inout Value) -> Void) {
    self.lock.lock()
    defer { self.lock.unlock() }
    body(&self.value)
  }

  var current: Value {
    self.lock.lock()
    defer { self.lock.unlock() }
    return self.value
  }
}
