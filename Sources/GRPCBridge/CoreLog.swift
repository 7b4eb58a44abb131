import CGRPC
import Foundation

/// Routes the gRPC C core's own log lines (bind failures, transport errors) to a Swift
/// handler, so a daemon can write them as structured lines instead of the core's free-form
/// "E1204 12:00:00 ..." text on stderr.
///
/// The core takes one process-wide C function pointer, so the handler is process-wide too;
/// set it once at start-up, before servers or channels exist.
public enum CoreLog {
  /// One core log line: severity ("debug", "info", "error"), source file and line, text.
  public typealias Handler =
    @Sendable (
      _ severity: String, _ file: String, _ line: Int,
      _ message: String
    ) -> Void

  private static let lock = NSLock()
  nonisolated(unsafe) private static var handler: Handler?

  /// Sends every core log line to `handler` from now on.
  public static func route(to handler: @escaping Handler) {
    self.lock.lock()
    self.handler = handler
    self.lock.unlock()
    gpr_set_log_function { args in
      guard let args else {
        return
      }
      CoreLog.deliver(args.pointee)
    }
  }

  private static func deliver(_ args: gpr_log_func_args) {
    self.lock.lock()
    let handler = self.handler
    self.lock.unlock()
    let severity =
      args.severity == GPR_LOG_SEVERITY_ERROR
      ? "error" : args.severity == GPR_LOG_SEVERITY_INFO ? "info" : "debug"
    handler?(
      severity, args.file.map { String(cString: $0) } ?? "", Int(args.line),
      args.message.map { String(cString: $0) } ?? "")
  }
}
