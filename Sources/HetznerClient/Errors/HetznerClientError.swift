/// Everything a ``HetznerCloud`` call can throw.
///
/// `.api` means the API answered and refused; `.transport` means no answer arrived, so a
/// create may or may not have happened (the reconciler finds such servers by label).
public enum HetznerClientError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The API returned an error response.
  case api(HetznerAPIError)
  /// No HTTP response: refused, timed out or cut off.
  case transport(HTTPTransportError)
  /// The options failed ``CreateServerOpts/validate()``; nothing was sent.
  case invalidOptions(HetznerValidationError)
  /// A 2xx response whose body did not decode as expected. The text names the operation
  /// and the decoding problem, never the body.
  case invalidResponse(String)

  public var retryClass: RetryClass {
    switch self {
    case .api(let error): error.retryClass
    case .transport(let error): error.retryClass
    case .invalidOptions, .invalidResponse: .permanent
    }
  }

  public var description: String {
    switch self {
    case .api(let error): "hetzner api error \(error)"
    case .transport(let error): "hetzner \(error)"
    case .invalidOptions(let error): "hetzner invalid options: \(error)"
    case .invalidResponse(let text): "hetzner invalid response: \(text)"
    }
  }
}
