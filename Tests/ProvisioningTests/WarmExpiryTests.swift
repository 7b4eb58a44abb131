import NodeSelectorCore
import Testing

@testable import Provisioning

@Suite("Warm pool expiry")
struct WarmExpiryTests {
  @Test("a provisioned node warm past the timeout is destroyed; a younger one stays")
  func expiresOnlyOldWarmNodes() throws {
    let harness = try Harness(healthAnswers: [true, true])
    let old = try #require(harness.provisioner.provision(try harness.reserve(task: "a")))
    _ = try harness.store.release(nodeID: old.id, taskID: "a", nowMs: harness.clock.nowMs())
    harness.clock.advance(harness.config.warmTimeoutMs - 1)
    let young = try #require(harness.provisioner.provision(try harness.reserve(task: "b")))
    _ = try harness.store.release(nodeID: young.id, taskID: "b", nowMs: harness.clock.nowMs())
    harness.clock.advance(1)

    let expired = try harness.provisioner.reapWarm()

    #expect(expired == [old.id])
    #expect(try harness.store.node(id: old.id)?.state == .stopped)
    #expect(try harness.store.node(id: young.id)?.state == .warm)
    #expect(harness.cloud.liveServers.map(\.id) == [young.cloudServerID])
  }

  @Test("an adopted warm node leaves the pool but keeps running and keeps its machine")
  func adoptedNodeIsNotDeleted() throws {
    let harness = try Harness()
    let adopted = try harness.store.insertAdopted(
      Node(
        id: "n-own", userID: "alice", state: .running, serverType: "cx22", location: "fsn1",
        address: "127.0.0.5", health: .healthy, createdAtMs: harness.clock.nowMs()))
    _ = try harness.store.assign(
      nodeID: adopted.id, userID: "alice", taskID: "t", workspaceLimit: 10,
      nowMs: harness.clock.nowMs())
    _ = try harness.store.release(nodeID: adopted.id, taskID: "t", nowMs: harness.clock.nowMs())
    harness.clock.advance(harness.config.warmTimeoutMs)

    #expect(try harness.provisioner.reapWarm() == [adopted.id])
    #expect(try harness.store.node(id: adopted.id)?.state == .running)
    #expect(harness.cloud.deleteCalls.isEmpty)
  }
}
