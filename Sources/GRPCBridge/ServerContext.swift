import CGRPC
import Foundation

/// What a handler knows about the call it serves. Safe to read from any thread.
public final class ServerContext: @unchecked Sendable {
  /// The full method path, e.g. "/nodeselector.v1.NodeSelector/SelectNode".
  public let method: String
  /// Request metadata (headers) as received, in order. Keys are lower-case.
  public let metadata: [(String, String)]
  private let deadline: gpr_timespec
  private let lock = NSLock()
  private var cancelled = false

  init(method: String, metadata: [(String, String)], deadline: gpr_timespec) {
    self.method = method
    self.metadata = metadata
    self.deadline = deadline
  }

  /// Milliseconds left before the caller's deadline; nil when the caller set none.
  /// Zero or negative once it has passed.
  public var remainingMilliseconds: Int64? {
    let left = cgrpcb_ms_until(self.deadline)
    return left == Int64.max ? nil : left
  }

  /// True once the caller cancelled, its deadline passed, or the connection dropped.
  /// Long waits should poll it and give up: nobody is listening for the answer.
  public var isCancelled: Bool {
    self.lock.lock()
    defer { self.lock.unlock() }
    if self.cancelled {
      return true
    }
    if let left = self.remainingMilliseconds, left <= 0 {
      return true
    }
    return false
  }

  /// The first value of a metadata key (lower-case), if sent.
  public func header(_ key: String) -> String? {
    self.metadata.first { $0.0 == key }?.1
  }

  func markCancelled() {
    self.lock.lock()
    defer { self.lock.unlock() }
    self.cancelled = true
  }
}
