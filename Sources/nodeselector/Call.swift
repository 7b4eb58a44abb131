import GRPCBridge
import NodeSelectorMessages

/// A connection to the daemon plus the deadline every call gets.
struct Client {
  let channel: GRPCChannel
  /// Applied to each call separately, from the moment it starts.
  let timeoutMilliseconds: Int64

  var target: String {
    self.channel.target
  }

  /// Sends `request` to `method` and decodes the answer.
  ///
  /// - Throws: the call's ``RPCError``; an answer that does not decode becomes `INTERNAL`,
  ///   which is how gRPC clients report a message they cannot parse.
  func call<Request, Response>(
    _ method: RPCMethod<Request, Response>, _ request: Request
  ) throws(RPCError) -> Response {
    let bytes = try self.channel.unary(
      method.path, request: request.serializedBytes(),
      timeoutMilliseconds: self.timeoutMilliseconds)
    do {
      return try Response(serializedBytes: bytes)
    } catch {
      throw RPCError(.internal, "bad response from \(method.path): \(error)")
    }
  }
}
