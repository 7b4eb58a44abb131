import Foundation

/// Runs `body(index)` on `count` new threads at once and returns when all have finished.
///
/// Real threads, not a dispatch pool: each stands for one caller blocked in SQLite, the way
/// the daemon's handler threads block, and a pool would cap the contention at its width.
enum Threads {
  static func run(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let done = DispatchGroup()
    for index in 0..<count {
      done.enter()
      let thread = Thread {
        body(index)
        done.leave()
      }
      thread.name = "bench-\(index)"
      thread.start()
    }
    done.wait()
  }
}

/// A value shared by benchmark threads, guarded by one lock.
final class Locked<Value>: @unchecked Sendable {
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

/// Where a benchmark database lives: `--database PATH`, else a fresh file in a new
/// temporary directory that ``remove()`` deletes with its WAL and shared-memory files.
struct ScratchDatabase {
  let path: String
  private let directory: String?

  init(_ flags: BenchFlags, name: String) throws {
    if let path = flags.optionalString("database") {
      self.path = path
      self.directory = nil
      return
    }
    let directory = NSTemporaryDirectory() + "nodeselector-bench-\(UUID().uuidString)"
    try FileManager.default.createDirectory(
      atPath: directory, withIntermediateDirectories: true)
    self.directory = directory
    self.path = directory + "/\(name).sqlite"
  }

  func remove() {
    if let directory = self.directory {
      try? FileManager.default.removeItem(atPath: directory)
    }
  }
}
