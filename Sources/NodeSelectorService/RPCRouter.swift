import Foundation
import GRPCBridge
import NodeSelectorMessages
import Provisioning
import StructuredLog

/// Decodes requests, runs a typed handler, encodes responses, and writes one log line per
/// call (method, status, duration, plus what the handler added). A request that does not
/// decode gets INVALID_ARGUMENT; nothing a client sends can crash the daemon.
struct RPCRouter {
  let server: GRPCServer
  let logger: Logger

  /// What a handler may add to its call's log line.
  final class CallLog: @unchecked Sendable {
    var fields: Logger.Metadata = [:]
  }

  func route<Request: WireMessage, Response: WireMessage>(
    _ method: RPCMethod<Request, Response>,
    _ body: @escaping @Sendable (Request, ServerContext, CallLog) throws(RPCError) -> Response
  ) {
    let logger = self.logger
    self.server.register(method.path) { context, bytes in
      let started = DispatchTime.now().uptimeNanoseconds
      let callLog = CallLog()
      let result: Result<[UInt8], RPCError>
      do throws(RPCError) {
        let request = try Self.decode(Request.self, bytes)
        result = .success(try body(request, context, callLog).serializedBytes())
      } catch {
        result = .failure(error)
      }
      Self.log(logger, method.path, result, callLog, started)
      return result
    }
  }

  /// Runs a broker call, turning its typed error into a status.
  static func broker<T>(_ body: () throws(BrokerError) -> T) throws(RPCError) -> T {
    do {
      return try body()
    } catch {
      throw StatusMapping.status(for: error)
    }
  }

  private static func decode<Request: WireMessage>(_ type: Request.Type, _ bytes: [UInt8])
    throws(RPCError) -> Request
  {
    do {
      return try Request(serializedBytes: bytes)
    } catch {
      throw RPCError(.invalidArgument, "request is not a valid \(Request.self): \(error)")
    }
  }

  private static func log(
    _ logger: Logger, _ path: String, _ result: Result<[UInt8], RPCError>, _ callLog: CallLog,
    _ started: UInt64
  ) {
    var fields = callLog.fields
    fields["rpc.method"] = path
    fields["duration_us"] = String((DispatchTime.now().uptimeNanoseconds - started) / 1000)
    switch result {
    case .success:
      fields["rpc.status"] = "OK"
      logger.debug("rpc", fields)
    case .failure(let error):
      fields["rpc.status"] = error.code.description
      fields["error"] = error.message
      let serverSide = error.code == .internal || error.code == .unknown
      logger.log(serverSide ? .error : .info, "rpc", fields)
    }
  }
}
