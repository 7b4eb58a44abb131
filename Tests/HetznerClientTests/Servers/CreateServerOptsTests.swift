import HetznerClient
import Testing

@Suite("CreateServerOpts validation")
struct CreateServerOptsTests {
  static func options(
    name: String = "node-1", labels: [String: String] = [:], userData: String? = nil
  ) -> CreateServerOpts {
    CreateServerOpts(
      name: name, serverType: "cx22", image: "ubuntu-24.04", location: "fsn1", labels: labels,
      userData: userData)
  }

  static let longPart = String(repeating: "a", count: 64)

  @Test(
    "bad names, labels and user data are refused before any request",
    arguments: [
      (options(name: ""), "name"),
      (options(name: "has space"), "name"),
      (options(name: "-leading"), "name"),
      (options(name: "trailing-"), "name"),
      (options(name: "under_score"), "name"),
      (options(name: "a..b"), "name"),
      (options(name: longPart), "name"),  // a 64-character hostname part
      (options(labels: ["": "v"]), "labels"),
      (options(labels: ["-key": "v"]), "labels"),
      (options(labels: ["key-": "v"]), "labels"),
      (options(labels: ["k y": "v"]), "labels"),
      (options(labels: [longPart: "v"]), "labels"),
      (options(labels: ["bad_prefix!/key": "v"]), "labels"),
      (options(labels: ["hetzner.cloud/key": "v"]), "labels"),
      (options(labels: ["key": "-v"]), "labels"),
      (options(labels: ["key": "v v"]), "labels"),
      (options(labels: ["key": longPart]), "labels"),
      (options(userData: String(repeating: "x", count: 32 * 1024 + 1)), "user_data"),
      (CreateServerOpts(name: "n", serverType: "", image: "i"), "server_type"),
      (CreateServerOpts(name: "n", serverType: "t", image: "a b"), "image"),
      (CreateServerOpts(name: "n", serverType: "t", image: "i", location: ""), "location"),
    ] as [(CreateServerOpts, String)])
  func invalidOptionsAreRefusedBeforeAnyRequest(options: CreateServerOpts, field: String)
    throws
  {
    let transport = FakeTransport(always: .json(500, "{}"))

    let error = try #require(throws: HetznerClientError.self) {
      try Fixtures.client(transport).createServer(options)
    }

    guard case .invalidOptions(let invalid) = error else {
      Issue.record("expected invalidOptions, got \(error)")
      return
    }
    #expect(invalid.field == field)
    #expect(error.retryClass == .permanent)
    #expect(transport.requests.isEmpty)
  }

  @Test(
    "valid names and labels pass",
    arguments: [
      options(name: "node-1"),
      options(name: "Node-1.example.com"),
      options(name: "7"),
      options(labels: ["managed-by": "nodeselector", "node.id": "42"]),
      options(labels: ["nodeselector.example/node-id": "a_b.c-d"]),
      options(labels: ["empty-value": ""]),
      options(labels: [String(repeating: "k", count: 63): String(repeating: "v", count: 63)]),
      options(userData: String(repeating: "x", count: 32 * 1024)),
    ])
  func validOptionsPass(options: CreateServerOpts) throws {
    try options.validate()
  }

  @Test("the description names label keys but never values or user data")
  func descriptionHidesValuesAndUserData() {
    let text = "\(Self.options(labels: ["owner": "alice"], userData: "password=hunter2"))"
    #expect(text.contains("owner"))
    #expect(!text.contains("alice"))
    #expect(!text.contains("hunter2"))
  }
}
