import NodeSelectorCore
import SQLiteStore
import StructuredLog

/// Makes the cloud and the store agree again after a crash at any point.
///
/// Runs at start-up and on an interval. It deletes every server of this deployment whose
/// row is gone or terminal, resumes or fails rows stuck in a transient state, and finishes
/// interrupted deletions. Rows this process is working on are left alone, and so are rows
/// touched within `staleAfterMs` (another daemon sharing the database may own them).
public struct Reconciler: Sendable {
  private let provisioner: Provisioner

  public init(provisioner: Provisioner) {
    self.provisioner = provisioner
  }

  /// What one pass did, for logs and tests.
  public struct Report: Sendable, Equatable {
    public var orphansDeleted = 0
    public var resumed: [String] = []
    public var failed: [String] = []
    public var stopped: [String] = []
    /// Running or warm nodes whose server is gone from the cloud (deleted by hand, by
    /// Hetzner, or by another tool): failed so they are never handed out again.
    public var vanished: [String] = []
  }

  /// One pass. Resumed health waits run on `resume` (a background thread in the daemon,
  /// inline in tests).
  public func reconcile(resume: (Node) -> Void = { _ in }) throws -> Report {
    let p = self.provisioner
    var report = Report()
    let listedAtMs = p.clock.nowMs()
    let servers: [CloudServer]
    do throws(CloudError) {
      servers = try p.cloud.list(labels: p.config.ownershipLabels)
    } catch {
      p.logger.warning("reconcile could not list servers", ["reason": error.description])
      throw error
    }

    var serverByNode: [String: CloudServer] = [:]
    for server in servers {
      let nodeID = server.labels[Labels.nodeID] ?? ""
      let row = try p.store.node(id: nodeID)
      if self.isOrphan(server, row: row) {
        p.logger.info("deleting orphan server", ["server.id": "\(server.id)", "node.id": nodeID])
        p.deleteServer(server.id, logger: p.logger.with("node.id", nodeID))
        report.orphansDeleted += 1
      } else {
        serverByNode[nodeID] = server
      }
    }

    let stuck = try p.store.nodes(inStates: [.creating, .booting, .destroying])
    for node in stuck where self.isStale(node) {
      self.recover(node, server: serverByNode[node.id], report: &report, resume: resume)
    }
    report.vanished = try self.failVanished(serverByNode, listedAtMs: listedAtMs)
    return report
  }

  /// Fails provisioned running/warm nodes whose server was not in the listing. Only rows
  /// last changed before the listing started count: their server id was known then, so
  /// the server must have been listed if it still existed.
  private func failVanished(_ servers: [String: CloudServer], listedAtMs: Int64) throws
    -> [String]
  {
    let p = self.provisioner
    var vanished: [String] = []
    for node in try p.store.nodes(inStates: [.running, .warm]) {
      guard node.provisioned, let serverID = node.cloudServerID,
        node.updatedAtMs < listedAtMs, servers[node.id]?.id != serverID
      else {
        continue
      }
      p.logger.warning(
        "server vanished; failing its node",
        ["node.id": node.id, "server.id": "\(serverID)", "workspaces": "\(node.workspaces)"])
      let reason = "server \(serverID) no longer exists in the cloud"
      if p.fail(node.id, from: [.running, .warm], reason: reason)?.state == .failed {
        vanished.append(node.id)
      }
    }
    return vanished
  }

  private func isOrphan(_ server: CloudServer, row: Node?) -> Bool {
    guard let row, !row.state.isTerminal else {
      return true
    }
    if let recorded = row.cloudServerID, recorded != server.id {
      return true
    }
    return false
  }

  private func isStale(_ node: Node) -> Bool {
    let p = self.provisioner
    guard !p.activeNodeIDs.contains(node.id) else {
      return false
    }
    return p.clock.nowMs() - node.updatedAtMs >= p.config.staleAfterMs
  }

  private func recover(
    _ node: Node, server: CloudServer?, report: inout Report, resume: (Node) -> Void
  ) {
    let p = self.provisioner
    let now = p.clock.nowMs()
    let log = p.logger.with("node.id", node.id)
    switch (node.state, server) {
    case (.creating, let server?), (.booting, let server?):
      let update = NodeUpdate(
        cloudServerID: server.id, address: server.address, location: server.location)
      let booting =
        node.state == .booting
        ? node
        : try? p.store.transition(
          nodeID: node.id, from: [.creating], to: .booting,
          reason: "server found by reconcile", nowMs: now, update: update)
      if let booting {
        log.info("resuming interrupted provisioning", ["server.id": "\(server.id)"])
        report.resumed.append(node.id)
        resume(booting)
      }
    case (.creating, nil), (.booting, nil):
      log.warning("provisioning interrupted and no server exists; failing the row")
      _ = p.fail(node.id, from: [.creating, .booting], reason: "interrupted: no server exists")
      report.failed.append(node.id)
    case (.destroying, let server):
      if let stopped = p.finishDestroying(node, serverID: server?.id ?? node.cloudServerID) {
        report.stopped.append(stopped.id)
      }
    default:
      return
    }
  }
}
