import Foundation

/// One HTTP response: status, headers in arrival order, and the raw body.
public struct HTTPResponse: Sendable, Equatable {
  public let status: Int
  public let headers: [HTTPHeader]
  public let body: Data

  public init(status: Int, headers: [HTTPHeader] = [], body: Data = Data()) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  /// The first header with this name, compared case-insensitively.
  public func header(_ name: String) -> String? {
    self.headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
  }

  /// `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`, if the server sent any.
  public var rateLimit: RateLimit? {
    RateLimit(
      limit: self.header("RateLimit-Limit"), remaining: self.header("RateLimit-Remaining"),
      reset: self.header("RateLimit-Reset"))
  }

  /// The `X-Correlation-Id` header, the ID Hetzner support asks for.
  public var correlationID: String? {
    self.header("X-Correlation-Id")
  }
}
