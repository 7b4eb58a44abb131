import CGRPC
import Foundation

/// Failures of the bridge itself (not of a call).
public struct GRPCBridgeError: Error, CustomStringConvertible {
  public let description: String
}

/// A unary-only gRPC server on the C core.
///
/// Register handlers by method path, then ``start()``. Handlers run on a concurrent worker
/// queue, never on the completion-queue thread, so one may block (for instance while a
/// node is provisioned); it should poll ``ServerContext/isCancelled`` while it waits.
/// An unregistered path gets UNIMPLEMENTED.
public final class GRPCServer: @unchecked Sendable {
  /// Request bytes in, response bytes or a status out.
  public typealias Handler = @Sendable (ServerContext, [UInt8]) -> Result<[UInt8], RPCError>

  /// The port actually bound (useful when the address asked for port 0).
  public let port: Int
  private let library = GRPCLibrary()
  private let server: OpaquePointer
  private let queue: CompletionQueue
  private let workers = DispatchQueue(label: "grpc.handlers", attributes: .concurrent)
  private let inFlight = DispatchGroup()
  private let lock = NSLock()
  private var handlers: [String: Handler] = [:]
  private var started = false
  private var stopping = false
  private static let acceptSlots = 8

  /// Binds `address` ("127.0.0.1:50051", "[::1]:0", "0.0.0.0:50051") without TLS.
  /// Throws when the address cannot be bound (in use, bad syntax, not local).
  public init(address: String, maxMessageBytes: Int = 4 << 20) throws {
    guard let server = cgrpcb_server_create(Int32(maxMessageBytes)) else {
      throw GRPCBridgeError(description: "grpc_server_create returned NULL")
    }
    let queue = CompletionQueue(name: "grpc.server.cq")
    grpc_server_register_completion_queue(server, queue.handle, nil)
    let port = cgrpcb_server_add_insecure_port(server, address)
    guard port > 0 else {
      grpc_server_start(server)
      let done = DispatchSemaphore(value: 0)
      let tag = queue.register { _ in done.signal() }
      grpc_server_shutdown_and_notify(server, queue.handle, tag)
      done.wait()
      grpc_server_destroy(server)
      queue.shutdownAndJoin()
      throw GRPCBridgeError(description: "cannot listen on \(address) (in use or invalid)")
    }
    self.server = server
    self.queue = queue
    self.port = Int(port)
  }

  deinit {
    self.shutdown(graceMilliseconds: 0)
  }

  /// Adds a handler for a full method path. Register everything before ``start()``.
  public func register(_ path: String, _ handler: @escaping Handler) {
    self.lock.lock()
    defer { self.lock.unlock() }
    precondition(!self.started, "register handlers before start()")
    self.handlers[path] = handler
  }

  public func start() {
    self.lock.lock()
    self.started = true
    self.lock.unlock()
    grpc_server_start(self.server)
    for _ in 0..<Self.acceptSlots {
      self.acceptNext()
    }
  }

  /// Stops admitting calls, lets calls in flight finish for up to `graceMilliseconds`, then
  /// cancels the rest, waits for every handler to return, and frees the server. Blocks.
  public func shutdown(graceMilliseconds: Int) {
    self.lock.lock()
    let alreadyStopping = self.stopping
    self.stopping = true
    self.lock.unlock()
    guard !alreadyStopping else {
      return
    }

    // The core reports shutdown only once every client connection is gone, and idle
    // clients may keep theirs open; so wait for the calls themselves (up to the grace),
    // then force the remaining connections closed.
    let done = DispatchSemaphore(value: 0)
    let tag = self.queue.register { _ in done.signal() }
    grpc_server_shutdown_and_notify(self.server, self.queue.handle, tag)
    _ = self.inFlight.wait(timeout: .now() + .milliseconds(graceMilliseconds))
    grpc_server_cancel_all_calls(self.server)
    done.wait()

    self.inFlight.wait()
    grpc_server_destroy(self.server)
    self.queue.shutdownAndJoin()
  }

  private func acceptNext() {
    let call = ServerCall(queue: self.queue)
    let tag = self.queue.register { success in
      self.accepted(call, success: success)
    }
    let result = grpc_server_request_call(
      self.server, call.callSlot, call.details, call.requestMetadata,
      self.queue.handle, self.queue.handle, tag)
    if result != GRPC_CALL_OK {
      self.queue.cancel(tag)
    }
  }

  private func accepted(_ call: ServerCall, success: Bool) {
    guard success else {
      return
    }
    self.lock.lock()
    let stopping = self.stopping
    self.lock.unlock()
    if !stopping {
      self.acceptNext()
    }

    let context = call.makeContext()
    self.inFlight.enter()
    call.start(context: context) { request in
      guard let request else {
        self.inFlight.leave()
        return
      }
      self.dispatch(call, context: context, request: request)
    }
  }

  private func dispatch(_ call: ServerCall, context: ServerContext, request: [UInt8]) {
    self.lock.lock()
    let handler = self.handlers[context.method]
    self.lock.unlock()
    guard let handler else {
      call.respond(.failure(RPCError(.unimplemented, "unknown method \(context.method)")))
      self.inFlight.leave()
      return
    }
    self.workers.async {
      call.respond(handler(context, request))
      self.inFlight.leave()
    }
  }
}
