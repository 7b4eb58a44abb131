import NodeSelectorCore

extension Node {
  /// A node with test defaults, so table rows stay on one line.
  static func make(
    _ id: String = "node-1",
    user: String = "user-1",
    state: NodeState = .running,
    provisioned: Bool = true,
    createdAtMs: Int64 = 1_000,
    warmSinceMs: Int64? = nil
  ) -> Node {
    Node(
      id: id, userID: user, state: state, serverType: "cx22", location: "fsn1",
      address: "127.0.0.2", agentPort: 8080, provisioned: provisioned,
      createdAtMs: createdAtMs, warmSinceMs: warmSinceMs)
  }
}
