import CGRPC
import Foundation

/// A `next`-style completion queue drained by one dedicated thread.
///
/// Operations are registered under integer tags in a locked table *before* the batch that
/// uses them starts (``register(_:)``), so a completion can never arrive for a tag the table
/// does not know. Each completion runs its handler on the queue's thread: handlers must be
/// short and must not block (hand real work to another queue).
///
/// Teardown order (written once, here): the owner shuts down whatever feeds the queue (the
/// server), then calls ``shutdownAndJoin()``, which shuts the queue down, lets the thread
/// drain it until `GRPC_QUEUE_SHUTDOWN`, and destroys it.
final class CompletionQueue: @unchecked Sendable {
  typealias Completion = (_ success: Bool) -> Void

  let handle: OpaquePointer
  private let lock = NSLock()
  private var pending: [UInt: Completion] = [:]
  private var nextTag: UInt = 1
  private var thread: Thread?
  private let finished = DispatchSemaphore(value: 0)

  init(name: String) {
    guard let queue = grpc_completion_queue_create_for_next(nil) else {
      preconditionFailure("grpc_completion_queue_create_for_next returned NULL")
    }
    self.handle = queue
    // The thread holds the queue strongly until it has drained it.
    let thread = Thread { self.drain() }
    thread.name = name
    self.thread = thread
    thread.start()
  }

  /// Reserves a tag whose completion runs `completion` once. Pass the returned pointer as
  /// the batch tag; if starting the batch fails, call ``cancel(_:)`` with it.
  func register(_ completion: @escaping Completion) -> UnsafeMutableRawPointer {
    self.lock.lock()
    defer { self.lock.unlock() }
    let tag = self.nextTag
    self.nextTag += 1
    self.pending[tag] = completion
    return UnsafeMutableRawPointer(bitPattern: tag)!
  }

  /// Forgets a tag whose batch never started.
  func cancel(_ tag: UnsafeMutableRawPointer) {
    self.lock.lock()
    defer { self.lock.unlock() }
    self.pending[UInt(bitPattern: tag)] = nil
  }

  /// Shuts the queue down, waits until every pending completion has been delivered, then
  /// destroys it. Call once, after whatever feeds the queue has shut down.
  func shutdownAndJoin() {
    grpc_completion_queue_shutdown(self.handle)
    self.finished.wait()
    grpc_completion_queue_destroy(self.handle)
  }

  private func drain() {
    while true {
      let event = grpc_completion_queue_next(
        self.handle, gpr_inf_future(GPR_CLOCK_MONOTONIC), nil)
      switch event.type {
      case GRPC_QUEUE_SHUTDOWN:
        self.finished.signal()
        return
      case GRPC_OP_COMPLETE:
        self.complete(tag: event.tag, success: event.success != 0)
      default:
        continue
      }
    }
  }

  private func complete(tag: UnsafeMutableRawPointer?, success: Bool) {
    guard let tag else {
      return
    }
    self.lock.lock()
    let completion = self.pending.removeValue(forKey: UInt(bitPattern: tag))
    self.lock.unlock()
    completion?(success)
  }
}
