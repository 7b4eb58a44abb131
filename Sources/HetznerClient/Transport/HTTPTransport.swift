/// Sends one HTTP request and returns the response, whatever its status.
///
/// The seam between ``HetznerCloud`` and the network: production uses ``CurlTransport``,
/// unit tests a fake that answers from memory. An implementation throws only when no HTTP
/// response arrived (refused, timed out, reset); a 4xx or 5xx is a normal return. It must
/// honour `request.timeoutMs` and be safe to call from several threads at once.
public protocol HTTPTransport: Sendable {
  func send(_ request: HTTPRequest) throws(HTTPTransportError) -> HTTPResponse
}
