import NodeSelectorCore
import SQLiteStore
import Testing

@testable import Provisioning

@Suite("Reconciling cloud and store after a crash")
struct ReconcilerTests {
  func labels(_ harness: Harness, node: String) -> [String: String] {
    var labels = harness.config.ownershipLabels
    labels[Labels.nodeID] = node
    return labels
  }

  @Test("a labelled server whose row is gone or terminal is deleted")
  func deletesOrphans() throws {
    let harness = try Harness()
    let failed = try harness.reserve(task: "t-failed")
    _ = try harness.store.transition(
      nodeID: failed.id, from: [.creating], to: .failed, reason: "test",
      nowMs: harness.clock.nowMs())
    harness.cloud.seed(
      .init(
        name: "a", serverType: "cx22", image: "i", location: "fsn1",
        labels: self.labels(harness, node: failed.id)))
    harness.cloud.seed(
      .init(
        name: "b", serverType: "cx22", image: "i", location: "fsn1",
        labels: self.labels(harness, node: "n-never-existed")))
    harness.cloud.seed(
      .init(
        name: "c", serverType: "cx22", image: "i", location: "fsn1",
        labels: ["managed-by": "someone-else"]))

    let report = try Reconciler(provisioner: harness.provisioner).reconcile()

    #expect(report.orphansDeleted == 2)
    #expect(harness.cloud.liveServers.map(\.name) == ["c"])
  }

  @Test("a row stuck in creating whose server exists is resumed through booting")
  func resumesCreatingWithServer() throws {
    let harness = try Harness()
    let node = try harness.reserve()
    harness.cloud.seed(
      .init(
        name: "ns", serverType: "cx22", image: "i", location: "fsn1",
        labels: self.labels(harness, node: node.id)))
    harness.clock.advance(harness.config.staleAfterMs)

    var resumed: [Node] = []
    let report = try Reconciler(provisioner: harness.provisioner).reconcile { resumed.append($0) }
    #expect(report.resumed == [node.id])
    let booting = try #require(resumed.first)
    #expect(booting.state == .booting)

    let final = try #require(harness.provisioner.resumeBooting(booting))
    #expect(final.state == .running)
  }

  @Test("a row stuck in creating with no server is failed and stops counting")
  func failsCreatingWithoutServer() throws {
    let harness = try Harness()
    let node = try harness.reserve()
    harness.clock.advance(harness.config.staleAfterMs)

    let report = try Reconciler(provisioner: harness.provisioner).reconcile()

    #expect(report.failed == [node.id])
    #expect(try harness.store.node(id: node.id)?.state == .failed)
    #expect(try harness.store.countLive(userID: "alice") == 0)
  }

  @Test("a fresh transient row is left alone: another daemon may own it")
  func leavesFreshRowsAlone() throws {
    let harness = try Harness()
    let node = try harness.reserve()

    let report = try Reconciler(provisioner: harness.provisioner).reconcile()

    #expect(report.failed.isEmpty && report.resumed.isEmpty)
    #expect(try harness.store.node(id: node.id)?.state == .creating)
  }

  @Test("an interrupted destroy is finished: server deleted, row stopped")
  func finishesDestroying() throws {
    let harness = try Harness()
    let node = try #require(harness.provisioner.provision(try harness.reserve()))
    _ = try harness.store.transition(
      nodeID: node.id, from: [.running], to: .destroying, reason: "test",
      nowMs: harness.clock.nowMs())
    harness.clock.advance(harness.config.staleAfterMs)

    let report = try Reconciler(provisioner: harness.provisioner).reconcile()

    #expect(report.stopped == [node.id])
    #expect(harness.cloud.liveServers.isEmpty)
    #expect(try harness.store.node(id: node.id)?.state == .stopped)
  }
}

@Suite("Reconciling servers that vanished")
struct VanishedServerTests {
  @Test("a running node whose server is gone is failed and never handed out again")
  func failsNodesWhoseServerVanished() throws {
    let harness = try Harness(healthAnswers: [true, true])
    let gone = try #require(harness.provisioner.provision(try harness.reserve(task: "a")))
    let kept = try #require(harness.provisioner.provision(try harness.reserve(task: "b")))
    try harness.cloud.delete(serverID: try #require(gone.cloudServerID))
    harness.clock.advance(1)

    let report = try Reconciler(provisioner: harness.provisioner).reconcile()

    #expect(report.vanished == [gone.id])
    let failed = try #require(try harness.store.node(id: gone.id))
    #expect(failed.state == .failed)
    #expect(failed.failureReason?.contains("no longer exists") == true)
    #expect(try harness.store.node(id: kept.id)?.state == .running)
  }

  @Test("a node changed after the listing started is left for the next pass")
  func leavesNodesNewerThanTheListing() throws {
    let harness = try Harness()
    let node = try #require(harness.provisioner.provision(try harness.reserve()))
    try harness.cloud.delete(serverID: try #require(node.cloudServerID))

    let report = try Reconciler(provisioner: harness.provisioner).reconcile()

    #expect(report.vanished.isEmpty)
    #expect(try harness.store.node(id: node.id)?.state == .running)
  }
}
