import CGRPC
import Foundation

/// One incoming unary call, from `grpc_server_request_call` to its last completion.
///
/// Owns the `grpc_call` reference and every buffer a batch writes into. Each registered
/// completion closure holds the object strongly, so it lives exactly until the last batch
/// that points into it has completed; `deinit` then releases everything in one place.
final class ServerCall: @unchecked Sendable {
  let callSlot = UnsafeMutablePointer<OpaquePointer?>.allocate(capacity: 1)
  let details = UnsafeMutablePointer<grpc_call_details>.allocate(capacity: 1)
  let requestMetadata = UnsafeMutablePointer<grpc_metadata_array>.allocate(capacity: 1)
  private let received = UnsafeMutablePointer<UnsafeMutablePointer<grpc_byte_buffer>?>
    .allocate(capacity: 1)
  private let cancelledFlag = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
  private let statusDetails = UnsafeMutablePointer<grpc_slice>.allocate(capacity: 1)
  private var response: UnsafeMutablePointer<grpc_byte_buffer>?
  private var statusDetailsSet = false
  private let queue: CompletionQueue

  init(queue: CompletionQueue) {
    self.queue = queue
    self.callSlot.initialize(to: nil)
    self.received.initialize(to: nil)
    self.cancelledFlag.initialize(to: 0)
    grpc_call_details_init(self.details)
    grpc_metadata_array_init(self.requestMetadata)
  }

  deinit {
    if let call = self.callSlot.pointee {
      grpc_call_unref(call)
    }
    if let buffer = self.received.pointee {
      grpc_byte_buffer_destroy(buffer)
    }
    if let response = self.response {
      grpc_byte_buffer_destroy(response)
    }
    if self.statusDetailsSet {
      grpc_slice_unref(self.statusDetails.pointee)
    }
    grpc_call_details_destroy(self.details)
    grpc_metadata_array_destroy(self.requestMetadata)
    self.callSlot.deallocate()
    self.details.deallocate()
    self.requestMetadata.deallocate()
    self.received.deallocate()
    self.cancelledFlag.deallocate()
    self.statusDetails.deallocate()
  }

  /// Builds the handler's view of the call. Valid once the call was accepted.
  func makeContext() -> ServerContext {
    ServerContext(
      method: Bytes.string(&self.details.pointee.method),
      metadata: Bytes.metadata(self.requestMetadata),
      deadline: self.details.pointee.deadline
    )
  }

  /// Starts watching for the end of the call (cancellation, deadline, or our status), and
  /// receiving the request message. `onMessage` gets nil when the call ended first.
  func start(context: ServerContext, onMessage: @escaping ([UInt8]?) -> Void) {
    guard let call = self.callSlot.pointee else {
      return
    }
    let closeTag = self.queue.register { _ in
      if self.cancelledFlag.pointee != 0 {
        context.markCancelled()
      }
    }
    if cgrpcb_start_recv_close(call, self.cancelledFlag, closeTag) != GRPC_CALL_OK {
      self.queue.cancel(closeTag)
    }

    let recvTag = self.queue.register { success in
      guard success, let buffer = self.received.pointee else {
        onMessage(nil)
        return
      }
      self.received.pointee = nil
      onMessage(Bytes.take(buffer))
    }
    if cgrpcb_start_recv_message(call, self.received, recvTag) != GRPC_CALL_OK {
      self.queue.cancel(recvTag)
      onMessage(nil)
    }
  }

  /// Sends the response and status. Call at most once; thread-safe with respect to the
  /// completion queue (the core allows starting batches from any thread).
  func respond(_ result: Result<[UInt8], RPCError>) {
    guard let call = self.callSlot.pointee else {
      return
    }
    let status: StatusCode
    let message: String
    switch result {
    case .success(let bytes):
      self.response = Bytes.buffer(bytes)
      status = .ok
      message = ""
    case .failure(let error):
      status = error.code
      message = error.message
    }

    self.statusDetails.pointee = grpc_slice_from_copied_string(message)
    self.statusDetailsSet = true
    let sendTag = self.queue.register { _ in _ = self }
    let code = grpc_status_code(rawValue: numericCast(status.rawValue))
    let started = cgrpcb_start_send_response(
      call, self.response, code, self.statusDetails, sendTag)
    if started != GRPC_CALL_OK {
      self.queue.cancel(sendTag)
    }
  }
}
