import Foundation
import HetznerClient
import Testing

@Suite("HetznerCloud over a fake transport")
struct HetznerCloudTests {
  @Test("listing follows every page and passes the label selector")
  func listingFollowsEveryPage() throws {
    let pages = [
      [Fixtures.server(1), Fixtures.server(2)],
      [Fixtures.server(3), Fixtures.server(4)],
      [Fixtures.server(5)],
    ]
    let transport = FakeTransport { request in
      let page = Int(request.query["page"] ?? "") ?? 0
      guard (1...3).contains(page) else {
        return .apiError(400, code: "invalid_input")
      }
      return .json(200, Fixtures.page(pages[page - 1], page: page, lastPage: 3))
    }

    let servers = try Fixtures.client(transport)
      .servers(labelSelector: "managed-by=nodeselector,env in (a,b)")

    #expect(servers.map(\.id) == [1, 2, 3, 4, 5])
    #expect(transport.requests.map { $0.query["page"] } == ["1", "2", "3"])
    for request in transport.requests {
      #expect(request.method == .get)
      #expect(request.path == "/v1/servers")
      #expect(request.query["label_selector"] == "managed-by=nodeselector,env in (a,b)")
      #expect(request.url.contains("label_selector=managed-by%3Dnodeselector%2Cenv%20in%20%28a"))
    }
  }

  @Test("a page that points backwards ends the listing with an error, not a loop")
  func backwardsPageIsAnError() throws {
    let transport = FakeTransport(
      always: .json(
        200,
        #"{"servers":[],"meta":{"pagination":{"page":2,"per_page":50,"next_page":1}}}"#))

    let error = try #require(throws: HetznerClientError.self) {
      try Fixtures.client(transport).servers()
    }

    #expect(error.retryClass == .permanent)
    #expect(transport.requests.count == 1)
  }

  @Test("a missing server reads as nil")
  func missingServerIsNil() throws {
    let transport = FakeTransport(always: .apiError(404, code: "not_found"))
    #expect(try Fixtures.client(transport).server(id: 77) == nil)
    #expect(transport.requests.first?.path == "/v1/servers/77")
  }

  @Test("deleting a server that is already gone reads as nil")
  func deletingGoneServerIsNil() throws {
    let transport = FakeTransport(always: .apiError(404, code: "not_found"))
    #expect(try Fixtures.client(transport).deleteServer(id: 77) == nil)
    #expect(transport.requests.first?.method == .delete)
  }

  @Test("other failures while reading a server still throw")
  func otherFailuresStillThrow() throws {
    let transport = FakeTransport(always: .apiError(500, code: "server_error"))
    let error = try #require(throws: HetznerClientError.self) {
      try Fixtures.client(transport).server(id: 77)
    }
    #expect(error.retryClass == .transient)
  }

  @Test("create sends the API's JSON body with the bearer token")
  func createSendsBodyAndToken() throws {
    let created = Fixtures.server(7, status: .initializing)
    let action = Action(id: 70, command: "create_server", status: .running, progress: 0)
    let transport = FakeTransport(
      always: .json(201, Fixtures.createdBody(created, action: action)))

    let result = try Fixtures.client(transport).createServer(Fixtures.options)

    #expect(result == CreateServerResult(server: created, action: action))
    let request = try #require(transport.requests.first)
    #expect(request.method == .post)
    #expect(request.path == "/v1/servers")
    #expect(request.header("authorization") == "Bearer \(Fixtures.token)")
    #expect(request.header("content-type") == "application/json")
    let body = try #require(request.body)
    let json = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
    #expect(json["name"] as? String == "node-7")
    #expect(json["server_type"] as? String == "cx22")
    #expect(json["image"] as? String == "ubuntu-24.04")
    #expect(json["location"] as? String == "fsn1")
    #expect(json["user_data"] as? String == "#cloud-config\n")
    #expect(json["start_after_create"] as? Bool == true)
    #expect(json["labels"] as? [String: String] == Fixtures.options.labels)
  }

  @Test("a success body that does not decode is an invalid response without the body")
  func undecodableBodyIsInvalidResponse() throws {
    let transport = FakeTransport(always: .json(200, #"{"action":{"id":"secret-ish"}}"#))
    let error = try #require(throws: HetznerClientError.self) {
      try Fixtures.client(transport).action(id: 1)
    }
    guard case .invalidResponse(let text) = error else {
      Issue.record("expected invalidResponse, got \(error)")
      return
    }
    #expect(text.hasPrefix("get action: "))
    #expect(!text.contains("secret-ish"))
  }

  @Test("every exchange is reported to the event hook with the token redacted")
  func eventsRedactAuthorization() throws {
    let events = Box<[HTTPEvent]>([])
    let transport = FakeTransport(always: .json(200, Fixtures.serverBody(Fixtures.server(3))))
    let client = HetznerCloud(
      baseURL: Fixtures.baseURL + "/", token: Fixtures.token, transport: transport,
      onEvent: { event in events.mutate { $0.append(event) } })

    _ = try client.server(id: 3)

    let event = try #require(events.value.first)
    #expect(event.status == 200)
    #expect(event.url == "http://127.0.0.1:9/v1/servers/3")
    #expect(event.requestDump.contains("Authorization: [redacted]"))
    #expect(!event.requestDump.contains(Fixtures.token))
    #expect(!"\(event)".contains(Fixtures.token))
  }
}

/// A locked mutable value for collecting results from `@Sendable` closures.
final class Box<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: Value

  init(_ value: Value) {
    self.stored = value
  }

  var value: Value { self.lock.withLock { self.stored } }

  func mutate(_ change: (inout Value) -> Void) {
    self.lock.withLock { change(&self.stored) }
  }
}
