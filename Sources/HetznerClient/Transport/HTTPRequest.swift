import Foundation

/// The HTTP methods the Hetzner API uses.
public enum HTTPMethod: String, Sendable, Equatable {
  case get = "GET"
  case post = "POST"
  case put = "PUT"
  case delete = "DELETE"

  /// The body to send when the caller gave none: POST and PUT always carry one.
  var emptyBody: Data? {
    switch self {
    case .post, .put: Data()
    case .get, .delete: nil
    }
  }
}

/// One request header. Names compare case-insensitively wherever they are looked up.
public struct HTTPHeader: Sendable, Equatable {
  public let name: String
  public let value: String

  public init(name: String, value: String) {
    self.name = name
    self.value = value
  }
}

/// One HTTP request, as handed to an ``HTTPTransport``.
///
/// It may carry the bearer token in `Authorization`, so every textual form of it
/// (`description`, `debugDescription`, `dump`) shows that header as `[redacted]`.
public struct HTTPRequest: Sendable, CustomStringConvertible, CustomDebugStringConvertible,
  CustomReflectable
{
  public var method: HTTPMethod
  /// The full URL, query included.
  public var url: String
  public var headers: [HTTPHeader]
  public var body: Data?
  /// The whole exchange, connect included, must finish within this many milliseconds.
  public var timeoutMs: Int

  public init(
    method: HTTPMethod, url: String, headers: [HTTPHeader] = [], body: Data? = nil,
    timeoutMs: Int
  ) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
    self.timeoutMs = timeoutMs
  }

  /// The first header with this name, compared case-insensitively.
  public func header(_ name: String) -> String? {
    self.headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
  }

  /// The headers with `Authorization` replaced by `[redacted]`.
  public var redactedHeaders: [HTTPHeader] {
    self.headers.map { header in
      guard header.name.caseInsensitiveCompare("Authorization") == .orderedSame else {
        return header
      }
      return HTTPHeader(name: header.name, value: "[redacted]")
    }
  }

  public var description: String {
    "\(self.method.rawValue) \(self.url)"
  }

  /// Request line, redacted headers and body size; the body itself is left out because a
  /// create request carries user data.
  public var debugDescription: String {
    let lines = self.redactedHeaders.map { "\($0.name): \($0.value)" }
    let body = self.body.map { "\n[\($0.count) body bytes]" } ?? ""
    return ([self.description] + lines).joined(separator: "\n") + body
  }

  public var customMirror: Mirror {
    Mirror(
      self,
      children: [
        "method": self.method, "url": self.url, "headers": self.redactedHeaders,
        "bodyBytes": self.body?.count ?? 0, "timeoutMs": self.timeoutMs,
      ])
  }
}
