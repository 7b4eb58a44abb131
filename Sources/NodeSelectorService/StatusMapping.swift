import GRPCBridge
import Provisioning

/// The one place a domain error becomes a gRPC status. The question behind each choice:
/// can the caller simply retry?
enum StatusMapping {
  static func status(for error: BrokerError) -> RPCError {
    switch error.code {
    case .invalidArgument:
      return RPCError(.invalidArgument, error.message)
    case .notFound:
      return RPCError(.notFound, error.message)
    case .limitReached:
      return RPCError(.resourceExhausted, error.message)
    case .failedPrecondition:
      return RPCError(.failedPrecondition, error.message)
    case .unavailable:
      return RPCError(.unavailable, error.message)
    case .deadlineExceeded:
      return RPCError(.deadlineExceeded, error.message)
    case .cancelled:
      return RPCError(.cancelled, error.message)
    case .internalError:
      return RPCError(.internal, error.message)
    }
  }
}
