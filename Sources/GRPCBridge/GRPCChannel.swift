import CGRPC

/// A client connection to one target ("127.0.0.1:50051"), without TLS. Thread-safe: many
/// threads may run calls on one channel at once, each call blocking only its own thread.
public final class GRPCChannel: @unchecked Sendable {
  private let library = GRPCLibrary()
  private let channel: OpaquePointer
  public let target: String

  public init(target: String, maxMessageBytes: Int = 4 << 20) throws {
    guard let channel = cgrpcb_insecure_channel_create(target, Int32(maxMessageBytes)) else {
      throw GRPCBridgeError(description: "cannot create a channel to \(target)")
    }
    self.channel = channel
    self.target = target
  }

  deinit {
    grpc_channel_destroy(self.channel)
  }

  /// Runs one unary call and waits for its status.
  ///
  /// - Parameters:
  ///   - path: the full method path, e.g. "/grpc.health.v1.Health/Check".
  ///   - request: the serialized request message.
  ///   - timeoutMilliseconds: the call's deadline from now; nil for none.
  ///   - metadata: request headers; keys must be lower-case.
  /// - Returns: the serialized response message.
  /// - Throws: ``RPCError`` with the status the server (or the transport) gave.
  public func unary(
    _ path: String,
    request: [UInt8],
    timeoutMilliseconds: Int64? = nil,
    metadata: [(String, String)] = []
  ) throws(RPCError) -> [UInt8] {
    let exchange = UnaryExchange(metadata: metadata)
    let completed = exchange.run(
      channel: self.channel, path: path, request: request,
      timeoutMilliseconds: timeoutMilliseconds ?? -1)
    guard completed else {
      throw RPCError(.internal, "the gRPC core refused to start the call to \(path)")
    }
    return try exchange.result()
  }
}
