/// No HTTP response arrived: the connection was refused, timed out or broke off.
///
/// Kept apart from ``HetznerAPIError``, which means the API answered and said no. The message
/// comes from the transport (curl's error buffer) and never holds request headers.
public struct HTTPTransportError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong, in the terms a retry decision needs.
  public enum Kind: String, Sendable, Equatable {
    /// The request ran past its timeout (connect included). The server may have acted on it.
    case timedOut
    /// No connection could be made (refused, unreachable, name not resolved).
    case connectionFailed
    /// The connection broke before a full response arrived. The server may have acted on it.
    case connectionLost
    /// The request itself is unusable (bad URL, unsupported scheme); retrying cannot help.
    case invalidRequest
    /// Anything else the transport reported.
    case other
  }

  public let kind: Kind
  public let message: String
  /// The transport's own code for diagnostics (a `CURLcode` for ``CurlTransport``).
  public let underlyingCode: Int

  public init(kind: Kind, message: String, underlyingCode: Int = 0) {
    self.kind = kind
    self.message = message
    self.underlyingCode = underlyingCode
  }

  public var description: String {
    "transport \(self.kind.rawValue): \"\(self.message)\" (code \(self.underlyingCode))"
  }

  /// Timeouts and broken connections are worth retrying; a malformed request, or a failure
  /// the transport could not name (a TLS certificate problem, say), is not.
  public var retryClass: RetryClass {
    switch self.kind {
    case .timedOut, .connectionFailed, .connectionLost: .transient
    case .invalidRequest, .other: .permanent
    }
  }
}
