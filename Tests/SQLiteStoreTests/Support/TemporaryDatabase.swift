import Foundation

/// A database path in a fresh directory under the system temporary directory; the
/// directory (with the -wal and -shm files SQLite adds) is deleted when this is released.
final class TemporaryDatabase {
  let directory: URL
  let path: String

  init() throws {
    self.directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("nodestore-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(
      at: self.directory, withIntermediateDirectories: true)
    self.path = self.directory.appendingPathComponent("store.sqlite").path
  }

  deinit {
    try? FileManager.default.removeItem(at: self.directory)
  }
}
