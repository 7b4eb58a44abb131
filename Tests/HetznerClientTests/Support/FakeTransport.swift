import Foundation
import HetznerClient

/// An in-memory ``HTTPTransport``: records every request and answers from a closure.
final class FakeTransport: HTTPTransport, @unchecked Sendable {
  typealias Answer = @Sendable (HTTPRequest) throws(HTTPTransportError) -> HTTPResponse

  private let lock = NSLock()
  private var recorded: [HTTPRequest] = []
  private let answer: Answer

  init(_ answer: @escaping Answer) {
    self.answer = answer
  }

  /// Always answers with the same response.
  convenience init(always response: HTTPResponse) {
    self.init { _ in response }
  }

  var requests: [HTTPRequest] {
    self.lock.withLock { self.recorded }
  }

  func send(_ request: HTTPRequest) throws(HTTPTransportError) -> HTTPResponse {
    self.lock.withLock { self.recorded.append(request) }
    return try self.answer(request)
  }
}

extension HTTPResponse {
  static func json(_ status: Int, _ text: String, headers: [HTTPHeader] = []) -> HTTPResponse {
    HTTPResponse(status: status, headers: headers, body: Data(text.utf8))
  }

  /// `{"error": {"code", "message", "details": {}}}` with the given status.
  static func apiError(
    _ status: Int, code: String, message: String = "refused", headers: [HTTPHeader] = []
  ) -> HTTPResponse {
    .json(
      status, #"{"error":{"code":"\#(code)","message":"\#(message)","details":{}}}"#,
      headers: headers)
  }
}

extension HTTPRequest {
  /// Query parameters, percent-decoded.
  var query: [String: String] {
    guard let components = URLComponents(string: self.url) else {
      return [:]
    }
    var result: [String: String] = [:]
    for item in components.queryItems ?? [] {
      result[item.name] = item.value ?? ""
    }
    return result
  }

  var path: String {
    URLComponents(string: self.url)?.path ?? ""
  }
}
