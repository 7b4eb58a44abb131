import Foundation

/// The request path every call takes: check the token, build the request, send it, report
/// the event, map a non-2xx status to ``HetznerAPIError``, then decode.
extension HetznerCloud {
  func send(
    _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: Data? = nil
  ) throws(HetznerClientError) -> HTTPResponse {
    try self.checkConfiguration()
    let request = self.request(method, path, query: query, body: body)

    let started = ContinuousClock.now
    let response: HTTPResponse
    do {
      response = try self.transport.send(request)
    } catch {
      let scrubbed = HTTPTransportError(
        kind: error.kind, message: self.token.redact(error.message),
        underlyingCode: error.underlyingCode)
      self.report(request, nil, started, scrubbed)
      throw .transport(scrubbed)
    }
    self.report(request, response, started, nil)

    guard (200...299).contains(response.status) else {
      throw .api(HetznerAPIError(response: response).redacting(self.token))
    }
    return response
  }

  func decode<Body: Decodable>(
    _ type: Body.Type, _ response: HTTPResponse, _ operation: String
  ) throws(HetznerClientError) -> Body {
    do {
      return try JSONDecoder().decode(type, from: response.body)
    } catch {
      throw .invalidResponse("\(operation): \(Self.summary(of: error))")
    }
  }

  func encode<Body: Encodable>(_ body: Body) throws(HetznerClientError) -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    do {
      return try encoder.encode(body)
    } catch {
      throw .invalidResponse("encoding request: \(error)")
    }
  }

  private func checkConfiguration() throws(HetznerClientError) {
    guard self.baseURL.hasPrefix("http://") || self.baseURL.hasPrefix("https://") else {
      throw .invalidOptions(
        HetznerValidationError(field: "base_url", reason: "must start with http:// or https://"))
    }
    guard self.token.isHeaderSafe else {
      throw .invalidOptions(
        HetznerValidationError(field: "token", reason: "empty or holds non-printable bytes"))
    }
  }

  private func request(
    _ method: HTTPMethod, _ path: String, query: [(String, String)], body: Data?
  ) -> HTTPRequest {
    var headers = [
      HTTPHeader(name: "Authorization", value: self.token.headerValue),
      HTTPHeader(name: "Accept", value: "application/json"),
      HTTPHeader(name: "User-Agent", value: "nodeselector-hetzner-client"),
    ]
    if body != nil {
      headers.append(HTTPHeader(name: "Content-Type", value: "application/json"))
    }
    let queryText = query.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }
      .joined(separator: "&")
    return HTTPRequest(
      method: method, url: self.baseURL + path + (queryText.isEmpty ? "" : "?" + queryText),
      headers: headers, body: body, timeoutMs: self.requestTimeoutMs)
  }

  private func report(
    _ request: HTTPRequest, _ response: HTTPResponse?, _ started: ContinuousClock.Instant,
    _ error: HTTPTransportError?
  ) {
    guard let onEvent = self.onEvent else {
      return
    }
    let elapsed = (ContinuousClock.now - started).components
    let ms = elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000
    onEvent(
      HTTPEvent(request: request, response: response, durationMs: Int(ms), transportError: error))
  }

  /// Percent-encodes everything but RFC 3986 unreserved characters.
  private static func escape(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
  }

  private static let unreserved = CharacterSet(
    charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

  /// The decoding problem without the JSON it was reading.
  private static func summary(of error: Error) -> String {
    guard let error = error as? DecodingError else {
      return "\(type(of: error))"
    }
    switch error {
    case .keyNotFound(let key, let context):
      return "missing \(Self.path(context.codingPath + [key]))"
    case .typeMismatch(_, let context), .valueNotFound(_, let context),
      .dataCorrupted(let context):
      return "bad value at \(Self.path(context.codingPath))"
    @unknown default:
      return "undecodable body"
    }
  }

  private static func path(_ keys: [CodingKey]) -> String {
    keys.isEmpty
      ? "top level"
      : keys.map { $0.intValue.map(String.init) ?? $0.stringValue }
        .joined(separator: ".")
  }
}
