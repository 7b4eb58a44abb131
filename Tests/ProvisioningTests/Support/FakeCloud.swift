import Foundation
import Provisioning

/// An in-memory cloud whose create and delete answers can be scripted per call.
final class FakeCloud: CloudServers, @unchecked Sendable {
  private let lock = NSLock()
  private var nextID: Int64 = 100
  private(set) var servers: [Int64: CloudServer] = [:]
  /// Errors for successive create calls; `nil` entries succeed.
  var createScript: [CloudError?] = []
  /// When set, a scripted create error still leaves a server behind (created despite it).
  var createDespiteError = false
  var deleteScript: [CloudError?] = []
  private(set) var createCalls: [CloudCreateRequest] = []
  private(set) var deleteCalls: [Int64] = []

  func create(_ request: CloudCreateRequest) throws(CloudError) -> CloudServer {
    self.lock.lock()
    defer { self.lock.unlock() }
    self.createCalls.append(request)
    let scripted = self.createScript.isEmpty ? nil : self.createScript.removeFirst()
    if var error = scripted {
      if self.createDespiteError {
        error.createdServerID = self.addServer(request).id
      }
      throw error
    }
    return self.addServer(request)
  }

  func delete(serverID: Int64) throws(CloudError) {
    self.lock.lock()
    defer { self.lock.unlock() }
    self.deleteCalls.append(serverID)
    if !self.deleteScript.isEmpty, let error = self.deleteScript.removeFirst() {
      throw error
    }
    self.servers[serverID] = nil
  }

  func list(labels: [String: String]) throws(CloudError) -> [CloudServer] {
    self.lock.lock()
    defer { self.lock.unlock() }
    return self.servers.values.filter { server in
      labels.allSatisfy { server.labels[$0.key] == $0.value }
    }.sorted { $0.id < $1.id }
  }

  /// Puts a server in the cloud directly (as if a crashed daemon had created it).
  @discardableResult
  func seed(_ request: CloudCreateRequest) -> CloudServer {
    self.lock.lock()
    defer { self.lock.unlock() }
    return self.addServer(request)
  }

  var liveServers: [CloudServer] {
    self.lock.lock()
    defer { self.lock.unlock() }
    return self.servers.values.sorted { $0.id < $1.id }
  }

  private func addServer(_ request: CloudCreateRequest) -> CloudServer {
    self.nextID += 1
    let server = CloudServer(
      id: self.nextID, name: request.name, address: "127.0.9.\(self.nextID % 250)",
      location: request.location, labels: request.labels)
    self.servers[server.id] = server
    return server
  }
}

extension CloudError {
  static func capacity(_ code: String = "resource_unavailable") -> CloudError {
    CloudError(kind: .capacity, code: code, message: "no capacity")
  }

  static func transient(retryAfterMs: Int64? = nil) -> CloudError {
    CloudError(
      kind: .transient, code: "rate_limit_exceeded", message: "slow down",
      retryAfterMs: retryAfterMs)
  }

  static let quota = CloudError(
    kind: .permanent, code: "resource_limit_exceeded", message: "server limit reached")
}
