import NodeSelectorCore

/// Why a broker operation did not do what was asked. The service layer turns each code into
/// one gRPC status, in one switch; messages are written for the person reading them.
public struct BrokerError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Code: Sendable, Equatable {
    /// The request is wrong; retrying it unchanged cannot help.
    case invalidArgument
    case notFound
    /// The user is at the node limit.
    case limitReached
    /// The node's state (or the request's own choices) forbid it now.
    case failedPrecondition
    /// The cloud could not provide a node now; a later retry may succeed.
    case unavailable
    /// The caller's deadline ended while waiting.
    case deadlineExceeded
    /// The caller went away while waiting.
    case cancelled
    /// The store or another part of the service failed.
    case internalError
  }

  public var code: Code
  public var message: String
  /// The decision behind a "nothing fits" answer, for callers that show it.
  public var explanation: Explanation?

  public init(_ code: Code, _ message: String, explanation: Explanation? = nil) {
    self.code = code
    self.message = message
    self.explanation = explanation
  }

  public var description: String {
    "\(self.code): \(self.message)"
  }
}
