import NodeSelectorMessages
import Testing

@Suite("Generated names")
struct GeneratedNamesTests {
  static let descriptions: [(value: any CustomStringConvertible & Sendable, text: String)] = [
    (NodeState.creating, "creating"),
    (NodeState.failed, "failed"),
    (NodeHealth.unknown, "unknown"),
    (SelectionMethod.warmClaim, "warm_claim"),
    (SelectionMethod.existingAssignment, "existing_assignment"),
    (HealthCheckResponse.ServingStatus.serving, "serving"),
    (HealthCheckResponse.ServingStatus.notServing, "not_serving"),
    (NodeState(rawValue: 42), "NodeState(42)"),
    (HealthCheckResponse.ServingStatus(rawValue: -1), "ServingStatus(-1)"),
  ]

  @Test(
    "enum values describe themselves by their lowercase proto name",
    arguments: descriptions
  )
  func enumDescription(_ row: (value: any CustomStringConvertible & Sendable, text: String)) {
    #expect(row.value.description == row.text)
  }

  @Test("enum constants carry the contract's numbers")
  func enumNumbers() {
    #expect(NodeState.unspecified.rawValue == 0)
    #expect(NodeState.warm.rawValue == 4)
    #expect(NodeState.failed.rawValue == 7)
    #expect(NodeHealth.unhealthy.rawValue == 2)
    #expect(SelectionMethod.existingAssignment.rawValue == 4)
    #expect(HealthCheckResponse.ServingStatus.serviceUnknown.rawValue == 3)
    #expect(Node().state == .unspecified)
  }

  @Test("service enums list every method path in declaration order")
  func methodPaths() {
    let prefix = "/nodeselector.v1.NodeSelector/"
    let methods = [
      "SelectNode", "ReleaseNode", "ReportNodeStatus", "RegisterNode", "GetNode", "ListNodes",
      "DestroyNode",
    ]

    #expect(NodeSelectorRPC.allPaths == methods.map { prefix + $0 })
    #expect(NodeSelectorRPC.selectNode.path == "/nodeselector.v1.NodeSelector/SelectNode")
    #expect(NodeSelectorRPC.destroyNode.path == "/nodeselector.v1.NodeSelector/DestroyNode")
    #expect(HealthRPC.check.path == "/grpc.health.v1.Health/Check")
    #expect(HealthRPC.allPaths == ["/grpc.health.v1.Health/Check"])
  }

  @Test("RPC methods carry their request and response types")
  func methodTypes() {
    let method: RPCMethod<ListNodesRequest, ListNodesResponse> = NodeSelectorRPC.listNodes
    let check: RPCMethod<HealthCheckRequest, HealthCheckResponse> = HealthRPC.check

    #expect(method.path.hasSuffix("/ListNodes"))
    #expect(check.path.hasSuffix("/Check"))
  }
}
