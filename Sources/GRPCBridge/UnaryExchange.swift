import CGRPC

/// The memory one client unary call's batch writes into, and its release.
///
/// Uses its own pluck completion queue, so a blocking caller waits only for its own call.
/// Every pointer handed to the batch is owned here and outlives the pluck that completes it.
final class UnaryExchange {
  private let queue: OpaquePointer
  private var call: OpaquePointer?
  private var metadataKeys: [grpc_slice] = []
  private let sendMetadata: UnsafeMutablePointer<grpc_metadata>
  private let sendMetadataCount: Int
  private var request: UnsafeMutablePointer<grpc_byte_buffer>?
  private let initialMetadata = UnsafeMutablePointer<grpc_metadata_array>.allocate(capacity: 1)
  private let trailingMetadata = UnsafeMutablePointer<grpc_metadata_array>.allocate(capacity: 1)
  private let response = UnsafeMutablePointer<UnsafeMutablePointer<grpc_byte_buffer>?>
    .allocate(capacity: 1)
  private let status = UnsafeMutablePointer<grpc_status_code>.allocate(capacity: 1)
  private let details = UnsafeMutablePointer<grpc_slice>.allocate(capacity: 1)

  init(metadata: [(String, String)]) {
    guard let queue = grpc_completion_queue_create_for_pluck(nil) else {
      preconditionFailure("grpc_completion_queue_create_for_pluck returned NULL")
    }
    self.queue = queue
    self.sendMetadataCount = metadata.count
    self.sendMetadata = .allocate(capacity: max(1, metadata.count))
    for (index, pair) in metadata.enumerated() {
      var entry = grpc_metadata()
      entry.key = grpc_slice_from_copied_string(pair.0)
      entry.value = grpc_slice_from_copied_string(pair.1)
      (self.sendMetadata + index).initialize(to: entry)
    }
    grpc_metadata_array_init(self.initialMetadata)
    grpc_metadata_array_init(self.trailingMetadata)
    self.response.initialize(to: nil)
    self.status.initialize(to: GRPC_STATUS_UNKNOWN)
    self.details.initialize(to: grpc_empty_slice())
  }

  deinit {
    for index in 0..<self.sendMetadataCount {
      grpc_slice_unref(self.sendMetadata[index].key)
      grpc_slice_unref(self.sendMetadata[index].value)
    }
    self.sendMetadata.deallocate()
    if let request = self.request {
      grpc_byte_buffer_destroy(request)
    }
    if let buffer = self.response.pointee {
      grpc_byte_buffer_destroy(buffer)
    }
    grpc_metadata_array_destroy(self.initialMetadata)
    grpc_metadata_array_destroy(self.trailingMetadata)
    grpc_slice_unref(self.details.pointee)
    if let call = self.call {
      grpc_call_unref(call)
    }
    grpc_completion_queue_shutdown(self.queue)
    while grpc_completion_queue_pluck(
      self.queue, nil, gpr_inf_future(GPR_CLOCK_MONOTONIC), nil
    ).type != GRPC_QUEUE_SHUTDOWN {}
    grpc_completion_queue_destroy(self.queue)
    self.initialMetadata.deallocate()
    self.trailingMetadata.deallocate()
    self.response.deallocate()
    self.status.deallocate()
    self.details.deallocate()
  }

  /// Starts the call and blocks until its status arrives. False if the core refused it.
  func run(
    channel: OpaquePointer, path: String, request: [UInt8], timeoutMilliseconds: Int64
  ) -> Bool {
    let method = grpc_slice_from_copied_string(path)
    defer { grpc_slice_unref(method) }
    self.call = grpc_channel_create_call(
      channel, nil, cgrpcb_propagate_defaults(), self.queue, method, nil,
      cgrpcb_deadline_after_ms(timeoutMilliseconds), nil)
    guard let call = self.call else {
      return false
    }

    self.request = Bytes.buffer(request)
    let tag = UnsafeMutableRawPointer(bitPattern: 1)
    let started = cgrpcb_start_unary(
      call, self.sendMetadata, self.sendMetadataCount, self.request,
      self.initialMetadata, self.response, self.trailingMetadata, self.status,
      self.details, tag)
    guard started == GRPC_CALL_OK else {
      return false
    }
    _ = grpc_completion_queue_pluck(
      self.queue, tag, gpr_inf_future(GPR_CLOCK_MONOTONIC), nil)
    return true
  }

  /// The response bytes, or the status as an error. Valid after ``run``.
  func result() throws(RPCError) -> [UInt8] {
    let code = StatusCode(rawValue: Int32(truncatingIfNeeded: self.status.pointee.rawValue))
    guard code == .ok else {
      throw RPCError(code, Bytes.string(&self.details.pointee))
    }
    guard let buffer = self.response.pointee else {
      throw RPCError(.internal, "the server answered OK without a response message")
    }
    self.response.pointee = nil
    return Bytes.take(buffer)
  }
}
