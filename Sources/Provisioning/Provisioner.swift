import Foundation
import HetznerClient
import NodeSelectorCore
import SQLiteStore
import StructuredLog

/// Drives a reserved node row from `creating` to `running` or `failed`, and deletes cloud
/// servers. Never leaves a server without a row that says so: every server carries labels
/// naming its node, and every failure path deletes what it created before failing the row.
///
/// All waiting goes through the injected ``Clock``; all randomness (jitter) through
/// `random`, so tests are deterministic.
public final class Provisioner: @unchecked Sendable {
  let store: NodeStore
  let cloud: CloudServers
  let health: HealthWaiter
  let clock: Clock
  public let config: ProvisioningConfig
  let logger: Logger
  let backoff: Backoff
  private let lock = NSLock()
  private var active: Set<String> = []
  private var stopping = false

  public init(
    store: NodeStore, cloud: CloudServers, health: HealthWaiter, clock: Clock,
    config: ProvisioningConfig, logger: Logger,
    random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
  ) {
    self.store = store
    self.cloud = cloud
    self.health = health
    self.clock = clock
    self.config = config
    self.logger = logger
    self.backoff = Backoff(
      baseMs: config.backoffBaseMs, capMs: config.backoffCapMs, random: random)
  }

  /// Node ids this process is working on; the reconciler leaves them alone.
  public var activeNodeIDs: Set<String> {
    self.lock.lock()
    defer { self.lock.unlock() }
    return self.active
  }

  /// Asks every loop to stop at its next wait. Rows stay where they are; the reconciler of
  /// the next start resumes them.
  public func stop() {
    self.lock.lock()
    defer { self.lock.unlock() }
    self.stopping = true
  }

  /// After ``stop()``: waits until no provisioning thread of this process is running, for
  /// at most `timeoutMs` (real time). True when idle; a thread still running after that is
  /// in a cloud or health request and stops when it returns.
  public func waitUntilIdle(timeoutMs: Int64) -> Bool {
    let deadline = Date().addingTimeInterval(Double(timeoutMs) / 1000)
    while !self.activeNodeIDs.isEmpty {
      guard Date() < deadline else {
        return false
      }
      Thread.sleep(forTimeInterval: 0.02)
    }
    return true
  }

  var isStopping: Bool {
    self.lock.lock()
    defer { self.lock.unlock() }
    return self.stopping
  }

  /// Runs `body` for `nodeID` unless another thread of this process already is. False when
  /// it was already active.
  func exclusively(_ nodeID: String, _ body: () -> Void) -> Bool {
    self.lock.lock()
    guard !self.active.contains(nodeID) else {
      self.lock.unlock()
      return false
    }
    self.active.insert(nodeID)
    self.lock.unlock()
    defer {
      self.lock.lock()
      self.active.remove(nodeID)
      self.lock.unlock()
    }
    body()
    return true
  }

  /// Provisions a node whose `creating` row was just reserved. Blocks until the row is
  /// `running` or `failed` (or the provisioner stops); returns the final row.
  @discardableResult
  public func provision(_ node: Node) -> Node? {
    var result: Node?
    _ = self.exclusively(node.id) {
      result = self.runProvisioning(node)
    }
    return result
  }

  /// Waits for the agent of a `booting` node (a fresh one or one resumed after a crash).
  @discardableResult
  public func resumeBooting(_ node: Node) -> Node? {
    var result: Node?
    _ = self.exclusively(node.id) {
      result = self.awaitHealth(node)
    }
    return result
  }

  private func runProvisioning(_ node: Node) -> Node? {
    let log = self.logger.with("node.id", node.id).with("user.id", node.userID)
    let started = self.clock.nowMs()
    log.info("provisioning started", ["server.type": node.serverType, "location": node.location])

    let server: CloudServer
    switch self.createServer(for: node, logger: log) {
    case .success(let created):
      server = created
    case .failure(let error):
      log.warning("provisioning failed", ["reason": error.description, "phase": "create"])
      return self.fail(node.id, from: [.creating], reason: "create failed: \(error)")
    }

    let update = NodeUpdate(
      cloudServerID: server.id, address: server.address, location: server.location)
    guard
      let booting = try? self.store.transition(
        nodeID: node.id, from: [.creating], to: .booting, reason: "server created",
        nowMs: self.clock.nowMs(), update: update)
    else {
      log.warning(
        "row left creating during create; deleting its server", ["server.id": "\(server.id)"])
      self.deleteServer(server.id, logger: log)
      return try? self.store.node(id: node.id)
    }
    log.info(
      "server created",
      [
        "server.id": "\(server.id)", "address": server.address,
        "duration_ms": "\(self.clock.nowMs() - started)",
      ])
    return self.awaitHealth(booting)
  }

  private func awaitHealth(_ node: Node) -> Node? {
    let log = self.logger.with("node.id", node.id).with("user.id", node.userID)
    let outcome = self.health.wait(address: node.address, port: node.agentPort) {
      // Stop polling once the row left booting (DestroyNode, another daemon's reconcile).
      self.isStopping || (try? self.store.node(id: node.id))??.state != .booting
    }
    switch outcome {
    case .healthy(let attempts):
      let running = try? self.store.transition(
        nodeID: node.id, from: [.booting], to: .running, reason: "agent healthy",
        nowMs: self.clock.nowMs(), update: NodeUpdate(health: .healthy))
      log.info("node running", ["health.attempts": "\(attempts)"])
      return running ?? (try? self.store.node(id: node.id))
    case .timedOut(let attempts):
      let seconds = self.health.timeoutMs / 1000
      log.warning("health timed out; deleting server", ["health.attempts": "\(attempts)"])
      if let serverID = node.cloudServerID {
        self.deleteServer(serverID, logger: log)
      }
      return self.fail(
        node.id, from: [.booting],
        reason: "agent /health did not answer within \(seconds)s (\(attempts) tries)")
    case .stopped:
      log.info("health wait stopped; the next reconcile resumes it")
      return try? self.store.node(id: node.id)
    }
  }

  func fail(_ nodeID: String, from: Set<NodeState>, reason: String) -> Node? {
    let failed = try? self.store.transition(
      nodeID: nodeID, from: from, to: .failed, reason: reason, nowMs: self.clock.nowMs(),
      update: NodeUpdate(failureReason: reason))
    return failed ?? (try? self.store.node(id: nodeID))
  }
}
