import HetznerClient
import NodeSelectorCore
import StructuredLog

extension Provisioner {
  /// Creates the node's server, following DESIGN.md's rules: a capacity error retries once
  /// in place after a short delay, then moves to the next allowed location; rate limits,
  /// locks and 5xx retry with capped, jittered backoff (honouring the API's reset time);
  /// quota, auth and input errors stop at once. A server created despite an error is
  /// deleted before moving on.
  func createServer(for node: Node, logger: Logger) -> Result<CloudServer, CloudError> {
    var lastError = CloudError(kind: .permanent, code: "no_location", message: "no location")
    for location in self.locationOrder(preferred: node.location) {
      for attempt in 0..<2 {
        if attempt > 0 {
          self.clock.sleep(milliseconds: self.config.capacityRetryDelayMs)
        }
        let request = self.createRequest(for: node, location: location)
        switch self.withTransientRetries(
          logger: logger,
          { () throws(CloudError) in
            try self.createDeletingLeftovers(request, logger: logger)
          })
        {
        case .success(let server):
          return .success(server)
        case .failure(let error):
          lastError = error
          guard error.kind == .capacity else {
            return .failure(error)
          }
          logger.debug(
            "no capacity",
            [
              "location": location, "attempt": "\(attempt + 1)", "code": error.code,
            ])
        }
      }
    }
    return .failure(lastError)
  }

  /// One create call. A server it made despite failing is deleted before the error goes
  /// on, so that the next try (transient retry, capacity retry in place) under the same name
  /// does not collide with it.
  private func createDeletingLeftovers(
    _ request: CloudCreateRequest, logger: Logger
  ) throws(CloudError) -> CloudServer {
    do throws(CloudError) {
      return try self.cloud.create(request)
    } catch {
      if let leftover = error.createdServerID {
        self.deleteServer(leftover, logger: logger)
      }
      throw error
    }
  }

  /// Deletes a server, retrying transient failures. False after a final failure, which
  /// leaves the server for the reconciler to find by its labels.
  @discardableResult
  func deleteServer(_ serverID: Int64, logger: Logger) -> Bool {
    var attempt = 0
    while true {
      do throws(CloudError) {
        try self.cloud.delete(serverID: serverID)
        logger.info("server deleted", ["server.id": "\(serverID)"])
        return true
      } catch {
        attempt += 1
        guard attempt < self.config.deleteAttempts, error.kind != .permanent else {
          logger.warning(
            "server delete failed; the reconciler will retry",
            [
              "server.id": "\(serverID)", "reason": error.description,
            ])
          return false
        }
        self.clock.sleep(milliseconds: self.retryDelay(attempt: attempt, error: error))
      }
    }
  }

  func withTransientRetries<T>(
    logger: Logger, _ body: () throws(CloudError) -> T
  ) -> Result<T, CloudError> {
    var attempt = 0
    while true {
      do throws(CloudError) {
        return .success(try body())
      } catch {
        attempt += 1
        guard error.kind == .transient, attempt < self.config.transientAttempts else {
          return .failure(error)
        }
        let delay = self.retryDelay(attempt: attempt, error: error)
        logger.debug(
          "retry scheduled",
          [
            "code": error.code, "attempt": "\(attempt)", "delay_ms": "\(delay)",
          ])
        self.clock.sleep(milliseconds: delay)
      }
    }
  }

  /// Full-jitter exponential backoff (the Hetzner client's ``Backoff``), never shorter
  /// than the wait the API asked for.
  func retryDelay(attempt: Int, error: CloudError) -> Int64 {
    max(self.backoff.delayMs(attempt: attempt), error.retryAfterMs ?? 0)
  }

  private func locationOrder(preferred: String) -> [String] {
    var order = [preferred]
    for location in self.config.locations where !order.contains(location) {
      order.append(location)
    }
    return order.filter { !$0.isEmpty }
  }

  private func createRequest(for node: Node, location: String) -> CloudCreateRequest {
    var labels = self.config.ownershipLabels
    labels[Labels.nodeID] = node.id
    return CloudCreateRequest(
      name: "ns-\(node.id)", serverType: node.serverType, image: self.config.image,
      location: location, labels: labels)
  }
}
