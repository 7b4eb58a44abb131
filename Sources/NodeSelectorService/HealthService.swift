import Foundation
import GRPCBridge
import NodeSelectorMessages

/// `grpc.health.v1.Health/Check`: SERVING while the daemon takes work, NOT_SERVING once it
/// started draining. The empty name and the NodeSelector service are known; any other name
/// gets NOT_FOUND, as the health protocol specifies.
public final class HealthService: @unchecked Sendable {
  public static let serviceName = "nodeselector.v1.NodeSelector"
  private let lock = NSLock()
  private var serving = true

  public init() {}

  /// Called when shutdown begins, before calls stop being admitted.
  public func markNotServing() {
    self.lock.lock()
    defer { self.lock.unlock() }
    self.serving = false
  }

  func check(_ request: HealthCheckRequest) throws(RPCError) -> HealthCheckResponse {
    guard request.service.isEmpty || request.service == Self.serviceName else {
      throw RPCError(.notFound, "unknown service \(request.service)")
    }
    self.lock.lock()
    let serving = self.serving
    self.lock.unlock()
    var response = HealthCheckResponse()
    response.status = serving ? .serving : .notServing
    return response
  }
}
