import Foundation
import NodeSelectorCore
import Provisioning
import SQLiteStore
import StructuredLog

/// A provisioner over an in-memory store, a fake cloud, a scripted probe and virtual time.
struct Harness {
  let clock = VirtualClock()
  let cloud = FakeCloud()
  let store: NodeStore
  let probe: ScriptedProbe
  let provisioner: Provisioner
  let config: ProvisioningConfig
  let logs = LogSink.collecting()

  init(
    healthAnswers: [Bool] = [true], probeLatencyMs: Int64 = 0,
    configure: (inout ProvisioningConfig) -> Void = { _ in }
  ) throws {
    var config = ProvisioningConfig()
    config.locations = ["fsn1", "nbg1", "hel1"]
    configure(&config)
    self.config = config
    self.store = try NodeStore(path: ":memory:")
    self.probe = ScriptedProbe(answers: healthAnswers, clock: self.clock, latencyMs: probeLatencyMs)
    let waiter = HealthWaiter(
      probe: self.probe, clock: self.clock, intervalMs: config.healthIntervalMs,
      timeoutMs: config.healthTimeoutMs)
    self.provisioner = Provisioner(
      store: self.store, cloud: self.cloud, health: waiter, clock: self.clock, config: config,
      logger: Logger(label: "test", level: .trace, sink: self.logs), random: { 0.5 })
  }

  /// Reserves a `creating` row for `user`, as SelectNode does before provisioning.
  func reserve(user: String = "alice", task: String = "t1", location: String = "fsn1")
    throws -> Node
  {
    let node = Node(
      id: "n-\(task)", userID: user, state: .creating, serverType: "cx22",
      location: location, agentPort: 8080, provisioned: true, createdAtMs: self.clock.nowMs())
    guard
      case .reserved(let reserved) = try self.store.reserveProvisioning(
        node: node, taskID: task, nodeLimit: 10, nowMs: self.clock.nowMs())
    else {
      throw HarnessError.notReserved
    }
    return reserved
  }

  enum HarnessError: Error { case notReserved }
}
