import Foundation

/// A client for the Hetzner Cloud API: servers and actions.
///
/// Every call is synchronous, bounded by `requestTimeoutMs`, and safe from any thread. No
/// call retries: failures come back as ``HetznerClientError`` with a ``RetryClass``, and the
/// caller decides (``RetryPolicy`` encodes the documented rules). The token is sent only in the `Authorization`
/// header; it never appears in a description, an error or an ``HTTPEvent``.
public final class HetznerCloud: Sendable, CustomStringConvertible, CustomReflectable {
  /// The API root including `/v1`, without a trailing slash.
  public let baseURL: String
  public let requestTimeoutMs: Int
  let token: BearerToken
  let transport: HTTPTransport
  let onEvent: (@Sendable (HTTPEvent) -> Void)?

  // TODO: take a StructuredLog `Logger` as well and log each exchange at debug level
  // (method, path, status, duration, correlation id). Left out because StructuredLog was
  // still being written; the event hook carries the same data, so a caller can bridge it
  // to a logger today, and adding the parameter later changes no existing call.

  /// - Parameters:
  ///   - baseURL: the API root, e.g. `https://api.hetzner.cloud/v1` in production or a
  ///     loopback simulator in tests. There is deliberately no default.
  ///   - token: the project's API token; checked for header safety at each call.
  ///   - transport: the HTTP layer; tests inject a fake.
  ///   - requestTimeoutMs: the bound for each HTTP exchange, connect included.
  ///   - onEvent: called on the calling thread after every exchange, e.g. to print
  ///     ``HTTPEvent/requestDump`` in a debug mode.
  public init(
    baseURL: String, token: String, transport: HTTPTransport = CurlTransport(),
    requestTimeoutMs: Int = 30_000, onEvent: (@Sendable (HTTPEvent) -> Void)? = nil
  ) {
    var root = baseURL
    while root.hasSuffix("/") {
      root.removeLast()
    }
    self.baseURL = root
    self.token = BearerToken(token)
    self.transport = transport
    self.requestTimeoutMs = requestTimeoutMs
    self.onEvent = onEvent
  }

  public var description: String {
    "HetznerCloud(\(self.baseURL), timeout \(self.requestTimeoutMs) ms)"
  }

  /// Base URL and timeout only, so `dump` shows neither the token nor the transport.
  public var customMirror: Mirror {
    Mirror(self, children: ["baseURL": self.baseURL, "requestTimeoutMs": self.requestTimeoutMs])
  }

  /// `POST /servers`. Validates `options` first; nothing is sent if they are invalid.
  ///
  /// The returned action must still be polled: the server is not running until it succeeds.
  public func createServer(_ options: CreateServerOpts) throws(HetznerClientError)
    -> CreateServerResult
  {
    do {
      try options.validate()
    } catch {
      throw .invalidOptions(error)
    }

    let body = try self.encode(CreateServerBody(options))
    let response = try self.send(.post, "/servers", body: body)

    let created = try self.decode(CreatedServer.self, response, "create server")
    return CreateServerResult(
      server: created.server, action: created.action, nextActions: created.nextActions ?? [])
  }

  /// `GET /actions/{id}`.
  public func action(id: Int64) throws(HetznerClientError) -> Action {
    let response = try self.send(.get, "/actions/\(id)")
    return try self.decode(ActionBody.self, response, "get action").action
  }

  /// `GET /servers/{id}`; nil if the server does not exist.
  public func server(id: Int64) throws(HetznerClientError) -> Server? {
    guard let response = try self.sendUnlessNotFound(.get, "/servers/\(id)") else {
      return nil
    }
    return try self.decode(ServerBody.self, response, "get server").server
  }

  /// `DELETE /servers/{id}`; nil if the server is already gone, else the delete action.
  public func deleteServer(id: Int64) throws(HetznerClientError) -> Action? {
    guard let response = try self.sendUnlessNotFound(.delete, "/servers/\(id)") else {
      return nil
    }
    return try self.decode(ActionBody.self, response, "delete server").action
  }

  /// `GET /servers`, following every page.
  ///
  /// - Parameter labelSelector: Hetzner selector syntax, e.g. `managed-by=nodeselector`;
  ///   nil lists every server in the project.
  public func servers(labelSelector: String? = nil) throws(HetznerClientError) -> [Server] {
    var servers: [Server] = []
    var page = 1
    while true {
      var query = [("page", String(page)), ("per_page", String(Self.pageSize))]
      if let labelSelector {
        query.insert(("label_selector", labelSelector), at: 0)
      }
      let response = try self.send(.get, "/servers", query: query)
      let list = try self.decode(ServerList.self, response, "list servers")
      servers += list.servers

      guard let next = list.meta?.pagination?.nextPage else {
        return servers
      }
      guard next > page, next <= Self.maxPages else {
        throw .invalidResponse("list servers: next_page \(next) after page \(page)")
      }
      page = next
    }
  }

  /// Hetzner's largest page.
  static let pageSize = 50
  /// A guard against a server that keeps announcing another page: 50,000 servers.
  static let maxPages = 1_000

  private func sendUnlessNotFound(_ method: HTTPMethod, _ path: String)
    throws(HetznerClientError) -> HTTPResponse?
  {
    do {
      return try self.send(method, path)
    } catch .api(let error) where error.httpStatus == 404 {
      return nil
    }
  }
}
