import BenchSupport
import Foundation

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
