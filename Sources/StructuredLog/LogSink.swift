import Foundation

/// Where log lines go. Writes are serialised so lines from many threads never interleave.
public final class LogSink: @unchecked Sendable {
  private let lock = NSLock()
  private let writeLine: (String) -> Void
  private var collected: [String] = []
  private let collects: Bool

  private init(collects: Bool, writeLine: @escaping (String) -> Void) {
    self.collects = collects
    self.writeLine = writeLine
  }

  /// One line per event on standard error (the daemon's default).
  public static var standardError: LogSink {
    LogSink(collects: false) { line in
      FileHandle.standardError.write(Data((line + "\n").utf8))
    }
  }

  /// Drops everything.
  public static var discard: LogSink {
    LogSink(collects: false) { _ in }
  }

  /// Keeps lines in memory; read them with ``lines``. For tests.
  public static func collecting() -> LogSink {
    LogSink(collects: true) { _ in }
  }

  /// Lines kept by a collecting sink, oldest first.
  public var lines: [String] {
    self.lock.lock()
    defer { self.lock.unlock() }
    return self.collected
  }

  func write(_ line: String) {
    self.lock.lock()
    defer { self.lock.unlock() }
    if self.collects {
      self.collected.append(line)
    }
    self.writeLine(line)
  }
}
