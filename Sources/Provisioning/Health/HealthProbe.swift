import Foundation
import HetznerClient

/// One health check of a node agent.
public protocol HealthProbe: Sendable {
  /// True when `GET http://<address>:<port>/health` answered 2xx within `timeoutMs`.
  /// Connection refused, timeouts and non-2xx answers are all false: the caller retries.
  func check(address: String, port: Int, timeoutMs: Int64) -> Bool
}

/// The real probe, over libcurl (the same transport as the Hetzner client).
public struct HTTPHealthProbe: HealthProbe {
  private let transport: HTTPTransport

  public init(transport: HTTPTransport = CurlTransport()) {
    self.transport = transport
  }

  public func check(address: String, port: Int, timeoutMs: Int64) -> Bool {
    let host = address.contains(":") ? "[\(address)]" : address
    let request = HTTPRequest(
      method: .get, url: "http://\(host):\(port)/health",
      timeoutMs: Int(max(1, timeoutMs)))
    guard let response = try? self.transport.send(request) else {
      return false
    }
    return (200..<300).contains(response.status)
  }
}
