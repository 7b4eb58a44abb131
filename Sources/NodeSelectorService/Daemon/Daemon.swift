import Foundation
import GRPCBridge
import HetznerClient
import Provisioning
import SQLiteStore
import StructuredLog

/// The running service: store, cloud client, provisioner, background loops and gRPC server,
/// wired once from a ``DaemonConfig``.
///
/// Start-up order: open (and migrate) the store, reconcile once, then listen. Shutdown
/// order: health says NOT_SERVING, the server drains, background loops stop, store closes.
public final class Daemon: @unchecked Sendable {
  public let config: DaemonConfig
  public let logger: Logger
  private let store: NodeStore
  private let provisioner: Provisioner
  private let health = HealthService()
  private let server: GRPCServer
  private let stopLoops = DispatchSemaphore(value: 0)
  private let loopsDone = DispatchSemaphore(value: 0)

  public init(config: DaemonConfig, clock: Clock = SystemClock(), sink: LogSink = .standardError)
    throws
  {
    var logger = Logger(label: "nodeselectord", level: config.logLevel, sink: sink)
    logger.level = config.logLevel
    self.config = config
    self.logger = logger
    let coreLogger = logger.with("component", "grpc-core")
    CoreLog.route { severity, file, line, message in
      let level: Logger.Level = severity == "error" ? .warning : .debug
      coreLogger.log(level, message, ["source": "\(file):\(line)"])
    }

    do {
      self.store = try NodeStore(path: config.databasePath)
      try self.store.checkIntegrity()
    } catch {
      let hint =
        "\(error)".contains("unable to open")
        ? " (does its directory exist, and is it writable?)" : ""
      throw StartupError(description: "database \(config.databasePath): \(error)\(hint)")
    }
    let api = HetznerCloud(baseURL: config.hetznerURL, token: config.hetznerToken)
    let cloud = HetznerCloudServers(api: api, clock: clock)
    var p = config.provisioning
    p.instance = try config.instance ?? self.store.instanceID()
    let waiter = HealthWaiter(
      probe: HTTPHealthProbe(), clock: clock, intervalMs: p.healthIntervalMs,
      timeoutMs: p.healthTimeoutMs)
    self.provisioner = Provisioner(
      store: self.store, cloud: cloud, health: waiter, clock: clock, config: p,
      logger: logger.with("component", "provisioner"))
    let broker = Broker(
      store: self.store, provisioner: self.provisioner, policy: config.policy, clock: clock,
      logger: logger.with("component", "broker"))

    self.server = try GRPCServer(address: config.listen)
    NodeSelectorRPCService(broker: broker, health: self.health, logger: logger)
      .register(on: self.server)
  }

  /// The bound port (differs from the configured one when that asked for port 0).
  public var port: Int {
    self.server.port
  }

  /// Reconciles once, starts the background loop, and starts serving.
  public func start() {
    self.reconcileOnce()
    let loop = Thread { self.backgroundLoop() }
    loop.name = "reconcile"
    loop.start()
    self.server.start()
    var fields = self.config.redactedSummary
    fields["port"] = "\(self.port)"
    fields["instance"] = self.provisioner.config.instance
    self.logger.info("serving", fields)
  }

  /// Drains and stops. Blocks until calls in flight finished or were cancelled.
  public func shutdown() {
    self.logger.info("draining", ["grace_ms": "\(self.config.drainGraceMs)"])
    self.health.markNotServing()
    if self.config.drainAnnounceMs > 0 {
      Thread.sleep(forTimeInterval: Double(self.config.drainAnnounceMs) / 1000)
    }
    // The provisioner stops only after the grace: a SelectNode waiting for a node to boot
    // can finish only while that node's health is still being polled.
    self.server.shutdown(graceMilliseconds: Int(self.config.drainGraceMs))
    self.provisioner.stop()
    self.stopLoops.signal()
    self.loopsDone.wait()
    // Provisioning threads stop at their next wait (at most one health interval plus one
    // request); closing the store under one would be a use-after-close. Rows they leave
    // behind are resumed by the next start's reconcile.
    let bound = 2 * self.config.provisioning.healthIntervalMs + 1_000
    if self.provisioner.waitUntilIdle(timeoutMs: bound) {
      try? self.store.close()
    } else {
      self.logger.warning("provisioning still busy at exit; the next start resumes it")
    }
    self.logger.info("stopped")
  }

  private func backgroundLoop() {
    let interval = self.config.provisioning.reconcileIntervalMs
    while self.stopLoops.wait(timeout: .now() + .milliseconds(Int(interval))) == .timedOut {
      self.reconcileOnce()
    }
    self.loopsDone.signal()
  }

  private func reconcileOnce() {
    let provisioner = self.provisioner
    do {
      let report = try Reconciler(provisioner: provisioner).reconcile { node in
        Broker.newThread { provisioner.resumeBooting(node) }
      }
      let expired = try provisioner.reapWarm()
      self.logger.debug(
        "reconciled",
        [
          "orphans_deleted": "\(report.orphansDeleted)", "resumed": "\(report.resumed.count)",
          "failed": "\(report.failed.count)", "stopped": "\(report.stopped.count)",
          "warm_expired": "\(expired.count)",
        ])
    } catch {
      self.logger.warning("reconcile failed; will retry", ["reason": "\(error)"])
    }
  }
}

/// Why the daemon could not start (exit status 1): the environment, not the options.
public struct StartupError: Error, CustomStringConvertible {
  public let description: String
}
