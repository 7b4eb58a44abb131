import Foundation
import HetznerClient
import Testing

/// A few Hetzner endpoints with state, served by ``LoopbackHTTPServer``.
final class CannedHetzner: @unchecked Sendable {
  private let lock = NSLock()
  private var servers: [Int64: Server] = [:]
  private var actionPolls = 0
  private var nextID: Int64 = 1

  func answer(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
    guard request.headers["authorization"] == "Bearer \(Fixtures.token)" else {
      return .json(401, #"{"error":{"code":"unauthorized","message":"bad token"}}"#)
    }
    return self.lock.withLock { self.route(request) }
  }

  private func route(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
    let parts = request.path.split(separator: "/").map(String.init)
    let resource = parts.count > 1 ? parts[1] : ""
    let id = parts.count == 3 ? Int64(parts[2]) : nil
    switch (request.method, resource, parts.count) {
    case ("POST", "servers", 2):
      let id = self.nextID
      self.nextID += 1
      let server = Fixtures.server(id, status: .initializing)
      self.servers[id] = server
      let action = Action(id: 100 + id, command: "create_server", status: .running)
      return .json(201, Fixtures.createdBody(server, action: action))
    case ("GET", "actions", 3):
      self.actionPolls += 1
      let done = self.actionPolls >= 3
      let action = Action(
        id: id ?? 0, command: "create_server", status: done ? .success : .running,
        progress: done ? 100 : 50)
      return .json(200, Fixtures.actionBody(action))
    case ("GET", "servers", 2):
      let selected = self.servers.values.sorted { $0.id < $1.id }
      return .json(200, Fixtures.page(selected, page: 1, lastPage: 1))
    case ("GET", "servers", 3):
      guard let server = id.flatMap({ self.servers[$0] }) else {
        return .json(404, #"{"error":{"code":"not_found","message":"server not found"}}"#)
      }
      return .json(200, Fixtures.serverBody(server))
    case ("DELETE", "servers", 3):
      guard let id, self.servers.removeValue(forKey: id) != nil else {
        return .json(404, #"{"error":{"code":"not_found","message":"server not found"}}"#)
      }
      let action = Action(id: 900 + id, command: "delete_server", status: .running)
      return .json(200, Fixtures.actionBody(action))
    default:
      return .json(404, #"{"error":{"code":"not_found","message":"no route"}}"#)
    }
  }
}

@Suite("HetznerCloud over real HTTP")
struct HetznerCloudIntegrationTests {
  @Test("create, poll the action, get, list and delete a server")
  func fullServerRoundTrip() throws {
    let api = CannedHetzner()
    let http = try LoopbackHTTPServer { api.answer($0) }
    defer { http.stop() }
    let client = HetznerCloud(baseURL: http.baseURL, token: Fixtures.token, requestTimeoutMs: 5_000)

    let created = try client.createServer(Fixtures.options)
    var action = created.action
    var polls = 0
    while !action.isFinished && polls < 10 {
      action = try client.action(id: action.id)
      polls += 1
    }
    let fetched = try #require(try client.server(id: created.server.id))
    let listed = try client.servers(labelSelector: "managed-by=nodeselector")
    let deleted = try client.deleteServer(id: created.server.id)
    let afterDelete = try client.server(id: created.server.id)
    let deletedAgain = try client.deleteServer(id: created.server.id)

    #expect(action.status == .success)
    #expect(polls == 3)
    #expect(fetched == created.server)
    #expect(fetched.publicIPv4 == "127.0.0.3")
    #expect(listed.map(\.id) == [created.server.id])
    #expect(deleted?.command == "delete_server")
    #expect(afterDelete == nil)
    #expect(deletedAgain == nil)
  }

  @Test("a wrong token surfaces as unauthorized, and the error omits the token")
  func wrongTokenIsUnauthorized() throws {
    let api = CannedHetzner()
    let http = try LoopbackHTTPServer { api.answer($0) }
    defer { http.stop() }
    let client = HetznerCloud(baseURL: http.baseURL, token: "wrong-token-xyz")

    let error = try #require(throws: HetznerClientError.self) { try client.servers() }

    #expect(error.retryClass == .permanent)
    #expect(
      error == .api(HetznerAPIError(code: .unauthorized, message: "bad token", httpStatus: 401)))
    #expect(!"\(error)".contains("wrong-token-xyz"))
  }

  @Test("a silent API fails within the client's request timeout")
  func silentAPITimesOut() throws {
    let http = try LoopbackHTTPServer { _ in nil }
    defer { http.stop() }
    let client = HetznerCloud(baseURL: http.baseURL, token: Fixtures.token, requestTimeoutMs: 300)
    let start = ContinuousClock.now

    let error = try #require(throws: HetznerClientError.self) { try client.action(id: 1) }

    #expect(CurlTransportTests.elapsedMs(start) < 2_000)
    guard case .transport(let transport) = error else {
      Issue.record("expected a transport error, got \(error)")
      return
    }
    #expect(transport.kind == .timedOut)
  }

  @Test("a refused connection surfaces as a transient transport error")
  func refusedConnectionIsTransient() throws {
    let port = try LoopbackHTTPServer.closedPort()
    let client = HetznerCloud(baseURL: "http://127.0.0.1:\(port)/v1", token: Fixtures.token)

    let error = try #require(throws: HetznerClientError.self) { try client.server(id: 1) }

    #expect(error.retryClass == .transient)
    guard case .transport(let transport) = error else {
      Issue.record("expected a transport error, got \(error)")
      return
    }
    #expect(transport.kind == .connectionFailed)
  }
}
