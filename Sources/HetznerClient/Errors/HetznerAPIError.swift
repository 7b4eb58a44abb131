import Foundation

/// The Hetzner API answered with an error: `{"error": {"code", "message", "details"}}`.
///
/// Built in one place, ``init(response:)``. Holds no request data, so neither the token nor
/// the user data can reach its text.
public struct HetznerAPIError: Error, Sendable, Equatable, CustomStringConvertible {
  public let code: Code
  /// The API's human-readable message.
  public let message: String
  public let httpStatus: Int
  /// `X-Correlation-Id`, the ID to quote to Hetzner support.
  public let correlationID: String?
  /// The rate-limit headers of the failed response; `resetEpochSeconds` matters for 429s.
  public let rateLimit: RateLimit?

  public init(
    code: Code, message: String, httpStatus: Int, correlationID: String? = nil,
    rateLimit: RateLimit? = nil
  ) {
    self.code = code
    self.message = message
    self.httpStatus = httpStatus
    self.correlationID = correlationID
    self.rateLimit = rateLimit
  }

  /// Reads the error body of a non-2xx response; a body that is not an API error (empty, or
  /// a proxy's HTML page) still yields an error, coded from the HTTP status.
  init(response: HTTPResponse) {
    let envelope = try? JSONDecoder().decode(Envelope.self, from: response.body)
    self.init(
      code: envelope.map { Code(rawValue: $0.error.code) }
        ?? .fallback(httpStatus: response.status),
      message: envelope?.error.message ?? "HTTP \(response.status) without an API error body",
      httpStatus: response.status,
      correlationID: response.correlationID,
      rateLimit: response.rateLimit)
  }

  public var retryClass: RetryClass {
    self.code.retryClass(httpStatus: self.httpStatus)
  }

  public var description: String {
    let id = self.correlationID.map { " [correlation id \($0)]" } ?? ""
    return "\(self.code) (HTTP \(self.httpStatus)): \"\(self.message)\"\(id)"
  }

  /// A copy with the token blanked out of the message, for a server that echoes input.
  func redacting(_ token: BearerToken) -> HetznerAPIError {
    HetznerAPIError(
      code: self.code, message: token.redact(self.message), httpStatus: self.httpStatus,
      correlationID: self.correlationID, rateLimit: self.rateLimit)
  }

  private struct Envelope: Decodable {
    struct Body: Decodable {
      let code: String
      let message: String
    }

    let error: Body
  }
}
