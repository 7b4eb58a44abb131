/// The production ``HTTPTransport``: libcurl, one fresh easy handle per request.
///
/// Safe to call from any number of threads at once, because no handle is shared.
// TODO: a handle per request means a new TCP (and TLS) connection per call. That is fine at
// a few provisioning calls a minute; a small locked pool of `CurlEasy` handles would add
// connection reuse if the call rate ever grows.
public struct CurlTransport: HTTPTransport {
  public init() {}

  public func send(_ request: HTTPRequest) throws(HTTPTransportError) -> HTTPResponse {
    do {
      return try CurlEasy().perform(request)
    } catch {
      throw HTTPTransportError(
        kind: error.transportKind, message: error.message,
        underlyingCode: Int(error.code.rawValue))
    }
  }
}
