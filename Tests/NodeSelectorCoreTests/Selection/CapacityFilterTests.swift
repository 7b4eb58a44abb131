import Testing

@testable import NodeSelectorCore

@Suite("Capacity filter")
struct CapacityFilterTests {
  let filter = CapacityFilter(policy: .standard, request: .task())

  static let health: [(NodeHealth, [Rejection])] = [
    (.healthy, []),
    (.unknown, []),  // stale or never reported: allowed
    (.unhealthy, [.unhealthy]),
  ]

  @Test("unhealthy nodes are dropped, unknown health is allowed", arguments: health)
  func unhealthyNodesAreDropped(health: NodeHealth, expected: [Rejection]) {
    #expect(self.filter.rejections(of: .make(id: "n1", health: health)) == expected)
  }

  static let workspaces: [(Int, [Rejection])] = [
    (9, []),  // below the limit of 10: room for one more
    (10, [.workspacesFull(used: 10, limit: 10)]),  // at the limit
    (11, [.workspacesFull(used: 11, limit: 10)]),  // over it (limit lowered since)
  ]

  @Test("nodes at or over the workspace limit are dropped", arguments: workspaces)
  func nodesAtOrOverTheWorkspaceLimitAreDropped(used: Int, expected: [Rejection]) {
    #expect(self.filter.rejections(of: .make(id: "n1", workspaces: used)) == expected)
  }

  static let cpu: [(Double, [Rejection])] = [
    (79.9, []),  // below 80
    (80, [.cpuAtThreshold(percent: 80, threshold: 80)]),  // at 80
    (80.1, [.cpuAtThreshold(percent: 80.1, threshold: 80)]),  // above 80
  ]

  @Test("nodes at or over the cpu threshold are dropped", arguments: cpu)
  func nodesAtOrOverTheCPUThresholdAreDropped(percent: Double, expected: [Rejection]) {
    #expect(self.filter.rejections(of: .make(id: "n1", cpu: percent, mem: 10)) == expected)
  }

  static let memory: [(Double, [Rejection])] = [
    (84.9, []),  // below 85
    (85, [.memoryAtThreshold(percent: 85, threshold: 85)]),  // at 85
    (85.1, [.memoryAtThreshold(percent: 85.1, threshold: 85)]),  // above 85
  ]

  @Test("nodes at or over the memory threshold are dropped", arguments: memory)
  func nodesAtOrOverTheMemoryThresholdAreDropped(percent: Double, expected: [Rejection]) {
    #expect(self.filter.rejections(of: .make(id: "n1", cpu: 10, mem: percent)) == expected)
  }

  static let states: [NodeState] = [.creating, .booting, .warm, .destroying, .stopped, .failed]

  @Test("only running nodes have capacity", arguments: states)
  func onlyRunningNodesHaveCapacity(state: NodeState) {
    #expect(self.filter.rejections(of: .make(id: "n1", state: state)) == [.notRunning(state)])
  }

  @Test("the filter reports every reason a node fails, not only the first")
  func filterReportsEveryReason() {
    let filter = CapacityFilter(policy: .standard, request: .task(size: "cx42"))
    let node = Node.make(
      id: "n1", type: "cx22", health: .unhealthy, cpu: 95, mem: 91, workspaces: 10
    )
    #expect(
      filter.rejections(of: node) == [
        .unhealthy,
        .workspacesFull(used: 10, limit: 10),
        .cpuAtThreshold(percent: 95, threshold: 80),
        .memoryAtThreshold(percent: 91, threshold: 85),
        .tooSmall(size: "cx22", required: "cx42"),
      ]
    )
  }

  @Test("a stricter policy moves every bound")
  func stricterPolicyMovesEveryBound() throws {
    let policy = try SelectionPolicy(
      cpuThresholdPercent: 50, memoryThresholdPercent: 60, workspaceLimit: 2
    )
    let filter = CapacityFilter(policy: policy, request: .task())
    #expect(
      filter.rejections(of: .make(id: "n1", cpu: 50, mem: 60, workspaces: 2)) == [
        .workspacesFull(used: 2, limit: 2),
        .cpuAtThreshold(percent: 50, threshold: 50),
        .memoryAtThreshold(percent: 60, threshold: 60),
      ]
    )
    #expect(filter.rejections(of: .make(id: "n2", cpu: 49, mem: 59, workspaces: 1)).isEmpty)
  }
}

@Suite("CPU normalisation")
struct CPUNormalisationTests {
  static let rows: [(String, Double?, Double?, Double?)] = [
    ("cx32", 3.0, nil, 75),  // 3.0 / 4 vCPUs = 75%
    ("cx22", 3.0, nil, 150),  // 3.0 / 2 vCPUs = 150%
    ("cx42", 3.0, nil, 37.5),  // 3.0 / 8 vCPUs = 37.5%
    ("cpx21", 1.5, nil, 50),  // 1.5 / 3 vCPUs = 50%
    ("cx22", 3.0, 20, 20),  // a reported percent wins over the load average
    ("cx99", 3.0, nil, nil),  // unknown type: vCPUs unknown, no cpu figure
  ]

  @Test("load average is divided by the vCPUs of the node's type", arguments: rows)
  func loadAverageIsDividedByVCPUs(
    type: String, load: Double?, reported: Double?, expected: Double?
  ) {
    let node = Node.make(id: "n1", type: type, cpu: reported, load: load, mem: 10)
    #expect(LoadFigures(node).cpuPercent == expected)
  }

  @Test("load average 3.0 on 4 vCPUs is 75% and fits")
  func loadThreeOnFourVCPUsFits() {
    let filter = CapacityFilter(policy: .standard, request: .task())
    #expect(filter.rejections(of: .make(id: "n1", type: "cx32", load: 3.0, mem: 10)).isEmpty)
  }

  @Test("load average 3.0 on 2 vCPUs is 150%, over the threshold")
  func loadThreeOnTwoVCPUsIsOverTheThreshold() throws {
    let inventory = FakeInventory([.make(id: "n1", type: "cx22", load: 3.0, mem: 10)])
    let outcome = try NodeSelection(inventory: inventory).select(.task(), nowMs: fixedNow)
    #expect(outcome.kind == "provision")
    #expect(outcome.explanation.summary == "0/1 nodes fit: 1 cpu 150% >= 80%")
  }
}
