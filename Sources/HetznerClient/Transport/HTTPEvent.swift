/// One finished HTTP exchange, reported to the ``HetznerCloud`` event hook.
///
/// Meant for debug output and, later, for an injected structured logger. It never holds the
/// token (the `Authorization` header reads `[redacted]`) nor any body.
public struct HTTPEvent: Sendable, CustomStringConvertible {
  public let method: HTTPMethod
  /// The full URL, query included (label selectors are not secret).
  public let url: String
  /// The request headers, `Authorization` redacted.
  public let requestHeaders: [HTTPHeader]
  /// Nil when no response arrived; see ``transportError``.
  public let status: Int?
  /// Wall time from send to response or failure, in milliseconds.
  public let durationMs: Int
  public let correlationID: String?
  public let rateLimit: RateLimit?
  public let transportError: HTTPTransportError?

  init(
    request: HTTPRequest, response: HTTPResponse?, durationMs: Int,
    transportError: HTTPTransportError?
  ) {
    self.method = request.method
    self.url = request.url
    self.requestHeaders = request.redactedHeaders
    self.status = response?.status
    self.durationMs = durationMs
    self.correlationID = response?.correlationID
    self.rateLimit = response?.rateLimit
    self.transportError = transportError
  }

  /// One line: `GET http://.../servers/1 -> 200 in 12 ms`.
  public var description: String {
    let outcome = self.status.map(String.init) ?? self.transportError.map { "\($0)" } ?? "?"
    return "\(self.method.rawValue) \(self.url) -> \(outcome) in \(self.durationMs) ms"
  }

  /// The request as it went out, headers included, with `Authorization: [redacted]`.
  public var requestDump: String {
    let headers = self.requestHeaders.map { "\($0.name): \($0.value)" }
    return (["\(self.method.rawValue) \(self.url)"] + headers).joined(separator: "\n")
  }
}
