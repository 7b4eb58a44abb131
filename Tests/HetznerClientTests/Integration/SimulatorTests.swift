import Foundation
import HetznerClient
import Testing

/// The client against the team's Hetzner simulator (`scripts/hetzner_simulator.py`), over
/// loopback. Fails, never skips, when python3 or the script is missing.
@Suite("HetznerCloud against the simulator")
struct SimulatorTests {
  static let token = "sim-token-7f3a9c"

  /// 412 for one name, an asynchronous capacity failure for another, one 429 for one list.
  static let faults = """
    [
      {"op": "create_server", "times": -1, "match": {"name": "full-node"},
       "status": 412, "code": "placement_error", "message": "no room"},
      {"op": "create_server", "times": -1, "match": {"name": "async-node"},
       "action_error": {"code": "resource_unavailable", "message": "gone"}},
      {"op": "list_servers", "times": 1, "match": {"label_selector": "sim=limited"},
       "status": 429, "code": "rate_limit_exceeded", "reset_in": 2}
    ]
    """

  static func options(_ name: String) -> CreateServerOpts {
    CreateServerOpts(
      name: name, serverType: "cx22", image: "ubuntu-24.04", location: "fsn1",
      labels: ["managed-by": "nodeselector-test", "sim": "ok"])
  }

  static func waitForAction(_ client: HetznerCloud, _ start: Action) throws -> Action {
    var action = start
    for _ in 0..<100 where !action.isFinished {
      Thread.sleep(forTimeInterval: 0.05)
      action = try client.action(id: action.id)
    }
    return action
  }

  @Test("create, wait, get, list and delete against the simulator")
  func roundTripAgainstSimulator() throws {
    let simulator = try SimulatorProcess(token: Self.token, faults: Self.faults)
    defer { simulator.stop() }
    let client = HetznerCloud(
      baseURL: simulator.baseURL, token: Self.token, requestTimeoutMs: 5_000)

    let created = try client.createServer(Self.options("sim-node-1"))
    let action = try Self.waitForAction(client, created.action)
    let fetched = try #require(try client.server(id: created.server.id))
    let listed = try client.servers(labelSelector: "managed-by=nodeselector-test")
    let deleted = try client.deleteServer(id: created.server.id)

    #expect(action.status == .success)
    #expect(fetched.name == "sim-node-1")
    #expect(fetched.serverType == "cx22")
    #expect(fetched.location == "fsn1")
    #expect(fetched.labels["sim"] == "ok")
    #expect(fetched.publicIPv4?.hasPrefix("127.93.") == true)
    #expect(listed.map(\.id) == [created.server.id])
    let deleteAction = try #require(deleted)
    #expect(try Self.waitForAction(client, deleteAction).status == .success)
    #expect(try client.server(id: created.server.id) == nil)
    #expect(try client.deleteServer(id: created.server.id) == nil)
  }

  @Test("scripted capacity, async and rate-limit faults classify as DESIGN.md says")
  func faultsClassifyAsDesigned() throws {
    let simulator = try SimulatorProcess(token: Self.token, faults: Self.faults)
    defer { simulator.stop() }
    let client = HetznerCloud(
      baseURL: simulator.baseURL, token: Self.token, requestTimeoutMs: 5_000)
    let policy = RetryPolicy(
      backoff: Backoff(random: { 0 }),
      nowEpochMs: { Int64(Date().timeIntervalSince1970 * 1000) })

    let placement = try #require(throws: HetznerClientError.self) {
      try client.createServer(Self.options("full-node"))
    }
    let async = try client.createServer(Self.options("async-node"))
    let failed = try Self.waitForAction(client, async.action)
    let limited = try #require(throws: HetznerClientError.self) {
      try client.servers(labelSelector: "sim=limited")
    }

    #expect(placement.retryClass == .capacity)
    #expect(failed.status == .error)
    #expect(failed.error?.retryClass == .capacity)
    guard case .api(let rateLimit) = limited else {
      Issue.record("expected an API error, got \(limited)")
      return
    }
    #expect(rateLimit.code == .rateLimitExceeded)
    #expect(rateLimit.rateLimit?.remaining == 0)
    let wait = try #require(policy.delayMs(after: limited, attempt: 1))
    #expect((500...3_000).contains(wait), "waited \(wait) ms for a reset 2 s ahead")
    #expect(try client.servers(labelSelector: "sim=limited").isEmpty)
  }
}
