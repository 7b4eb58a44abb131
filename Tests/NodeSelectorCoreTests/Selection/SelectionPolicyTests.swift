import Testing

@testable import NodeSelectorCore

@Suite("Selection policy")
struct SelectionPolicyTests {
  /// One set of settings, the standard ones unless a row changes them.
  struct Settings: Sendable, CustomTestStringConvertible {
    var cpu = 80.0
    var memory = 85.0
    var workspaces = 10
    var nodes = 10
    var cpuWeight = 0.4
    var memoryWeight = 0.6
    var testDescription = "standard"

    func build() throws(PolicyError) -> SelectionPolicy {
      try SelectionPolicy(
        cpuThresholdPercent: self.cpu, memoryThresholdPercent: self.memory,
        workspaceLimit: self.workspaces, nodeLimit: self.nodes,
        cpuWeight: self.cpuWeight, memoryWeight: self.memoryWeight
      )
    }
  }

  @Test("standard policy holds the documented defaults")
  func standardPolicyHoldsTheDocumentedDefaults() throws {
    let standard = SelectionPolicy.standard
    #expect(standard.cpuThresholdPercent == 80)
    #expect(standard.memoryThresholdPercent == 85)
    #expect(standard.workspaceLimit == 10)
    #expect(standard.nodeLimit == 10)
    #expect(standard.cpuWeight == 0.4)
    #expect(standard.memoryWeight == 0.6)
    #expect(try SelectionPolicy() == standard)
  }

  static let refused: [(Settings, PolicyError.Field, String)] = [
    (Settings(cpu: 120), .cpuThreshold, "cpu threshold 120 is out of range (0, 100]"),
    (Settings(cpu: 100.5), .cpuThreshold, "cpu threshold 100.5 is out of range (0, 100]"),
    (Settings(cpu: 0), .cpuThreshold, "cpu threshold 0 is out of range (0, 100]"),
    (Settings(cpu: -5), .cpuThreshold, "cpu threshold -5 is out of range (0, 100]"),
    (Settings(cpu: .nan), .cpuThreshold, "cpu threshold nan is out of range (0, 100]"),
    (Settings(memory: 0), .memoryThreshold, "memory threshold 0 is out of range (0, 100]"),
    (
      Settings(memory: .infinity), .memoryThreshold,
      "memory threshold inf is out of range (0, 100]"
    ),
    (
      Settings(workspaces: 0), .workspaceLimit,
      "workspace limit 0 is out of range [1, 9223372036854775807]"
    ),
    (
      Settings(nodes: -1), .nodeLimit,
      "node limit -1 is out of range [1, 9223372036854775807]"
    ),
    (Settings(cpuWeight: -0.1), .cpuWeight, "cpu weight -0.1 is out of range [0, 1]"),
    (Settings(cpuWeight: .nan), .cpuWeight, "cpu weight nan is out of range [0, 1]"),
    (
      Settings(memoryWeight: -.infinity), .memoryWeight,
      "memory weight -inf is out of range [0, 1]"
    ),
    (Settings(memoryWeight: 1.5), .memoryWeight, "memory weight 1.5 is out of range [0, 1]"),
    // 0.5 + 0.6 = 1.1, not 1.
    (Settings(cpuWeight: 0.5), .weights, "weights 0.5 + 0.6 = 1.1 must sum to 1"),
    // 0.4 + 0.5 = 0.9, not 1.
    (Settings(memoryWeight: 0.5), .weights, "weights 0.4 + 0.5 = 0.9 must sum to 1"),
  ]

  @Test("each out-of-range setting is refused with its field, value and range", arguments: refused)
  func eachOutOfRangeSettingIsRefused(
    settings: Settings, field: PolicyError.Field, message: String
  ) {
    #expect(throws: PolicyError(field: field, message: message)) {
      try settings.build()
    }
  }

  static let accepted: [Settings] = [
    Settings(cpu: 100, memory: 100, testDescription: "thresholds at 100"),
    Settings(cpu: 0.001, memory: 0.001, testDescription: "thresholds just over 0"),
    Settings(workspaces: 1, nodes: 1, testDescription: "limits of 1"),
    Settings(cpuWeight: 1, memoryWeight: 0, testDescription: "all weight on cpu"),
    Settings(cpuWeight: 0, memoryWeight: 1, testDescription: "all weight on memory"),
    // 0.1 + 0.2 + 0.7 style rounding: 0.3 + 0.7 differs from 1 by far less than 1e-9.
    Settings(cpuWeight: 0.1 + 0.2, memoryWeight: 0.7, testDescription: "rounded weights"),
  ]

  @Test("settings on the edge of their range are kept as given", arguments: accepted)
  func settingsOnTheEdgeOfTheirRangeAreKept(settings: Settings) throws {
    let policy = try settings.build()
    #expect(policy.cpuThresholdPercent == settings.cpu)
    #expect(policy.memoryThresholdPercent == settings.memory)
    #expect(policy.workspaceLimit == settings.workspaces)
    #expect(policy.nodeLimit == settings.nodes)
    #expect(policy.cpuWeight == settings.cpuWeight)
    #expect(policy.memoryWeight == settings.memoryWeight)
  }

  @Test("weights summing to 1 only outside the tolerance are refused")
  func weightsOutsideTheToleranceAreRefused() {
    // 0.4 + 1e-8 + 0.6 misses 1 by 1e-8 > 1e-9.
    #expect(throws: PolicyError.self) {
      try Settings(cpuWeight: 0.4 + 1e-8).build()
    }
  }
}
