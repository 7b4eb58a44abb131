import HetznerClient

/// ``CloudServers`` over the Hetzner Cloud API.
///
/// `create` posts the server and then polls its action with growing pauses (0.5 s doubling
/// to 5 s), so a typical 30 s creation costs about ten requests of the 3,600 an hour the
/// API allows. When the create request fails, the server may exist anyway: it is looked up
/// by its node label. After a lost answer a found server is returned; after an error answer
/// it is named in the error's `createdServerID`, for the caller to delete.
public struct HetznerCloudServers: CloudServers {
  private let api: HetznerCloud
  private let clock: Clock
  /// Longest wait for a create action before giving up (the server is then deleted).
  private let actionTimeoutMs: Int64

  public init(api: HetznerCloud, clock: Clock, actionTimeoutMs: Int64 = 600_000) {
    self.api = api
    self.clock = clock
    self.actionTimeoutMs = actionTimeoutMs
  }

  public func create(_ request: CloudCreateRequest) throws(CloudError) -> CloudServer {
    let options = CreateServerOpts(
      name: request.name, serverType: request.serverType, image: request.image,
      location: request.location, labels: request.labels)
    let created: CreateServerResult
    do {
      created = try self.api.createServer(options)
    } catch {
      let found = Self.mayHaveCreated(error) ? self.findByLabels(request.labels) : nil
      if case .transport = error, let found {
        return found
      }
      var mapped = self.map(error)
      mapped.createdServerID = found?.id
      throw mapped
    }

    try self.awaitAction(created.action.id, serverID: created.server.id)
    return self.cloudServer(created.server, fallbackLocation: request.location)
  }

  public func delete(serverID: Int64) throws(CloudError) {
    // TODO: the delete action is not awaited, so a delete whose action fails counts as done
    // and the server stays until the next reconcile pass deletes it (its row is terminal).
    do {
      _ = try self.api.deleteServer(id: serverID)
    } catch {
      throw self.map(error)
    }
  }

  public func list(labels: [String: String]) throws(CloudError) -> [CloudServer] {
    let selector = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
      .joined(separator: ",")
    do {
      return try self.api.servers(labelSelector: selector).map {
        self.cloudServer($0, fallbackLocation: "")
      }
    } catch {
      throw self.map(error)
    }
  }

  private func awaitAction(_ actionID: Int64, serverID: Int64) throws(CloudError) {
    let start = self.clock.nowMs()
    var pause: Int64 = 500
    while true {
      self.clock.sleep(milliseconds: pause)
      pause = min(pause * 2, 5_000)
      let action: Action
      do {
        action = try self.api.action(id: actionID)
      } catch {
        var mapped = self.map(error)
        // A transient failure polls again, but within the same time bound as a running
        // action: a poll that fails forever must not keep the row creating forever.
        guard mapped.kind == .transient, self.clock.nowMs() - start < self.actionTimeoutMs
        else {
          mapped.createdServerID = serverID
          throw mapped
        }
        continue
      }
      if action.status == .success {
        return
      }
      if let failure = action.error, action.status == .error {
        let kind = self.kind(failure.retryClass)
        throw CloudError(
          kind: kind, code: failure.code.rawValue, message: failure.message,
          createdServerID: serverID)
      }
      guard self.clock.nowMs() - start < self.actionTimeoutMs else {
        throw CloudError(
          kind: .transient, code: "action_timeout",
          message: "create action \(actionID) still running after \(self.actionTimeoutMs) ms",
          createdServerID: serverID)
      }
    }
  }

  /// Whether a failed create may still have made the server. The API can answer an error
  /// after the server exists (a 5xx, a lost or garbled answer), so the caller must look for
  /// it by label and delete it; otherwise a retry under the same name fails with
  /// `uniqueness_error` and the server leaks until the next reconcile. Only options refused
  /// before sending and a 429 (never executed) surely made nothing.
  private static func mayHaveCreated(_ error: HetznerClientError) -> Bool {
    switch error {
    case .api(let api): api.httpStatus != 429
    case .transport, .invalidResponse: true
    case .invalidOptions: false
    }
  }

  private func findByLabels(_ labels: [String: String]) -> CloudServer? {
    try? self.list(labels: labels).first
  }

  private func cloudServer(_ server: Server, fallbackLocation: String) -> CloudServer {
    CloudServer(
      id: server.id, name: server.name, address: server.publicIPv4 ?? "",
      location: server.location.isEmpty ? fallbackLocation : server.location,
      labels: server.labels)
  }

  private func kind(_ retryClass: RetryClass) -> CloudError.Kind {
    switch retryClass {
    case .capacity: .capacity
    case .transient: .transient
    case .permanent: .permanent
    }
  }

  private func map(_ error: HetznerClientError) -> CloudError {
    var code = "transport"
    var retryAfterMs: Int64?
    var message = error.description
    switch error {
    case .api(let api):
      code = api.code.rawValue
      message = api.message
      if let reset = api.rateLimit?.resetEpochSeconds, api.httpStatus == 429 {
        retryAfterMs = max(0, reset * 1000 - self.clock.nowMs())
      }
    case .transport(let transport):
      code = transport.kind.rawValue
    case .invalidOptions:
      code = "invalid_options"
    case .invalidResponse:
      code = "invalid_response"
    }
    return CloudError(
      kind: self.kind(error.retryClass), code: code, message: message,
      retryAfterMs: retryAfterMs)
  }
}
