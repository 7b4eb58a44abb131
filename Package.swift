// swift-tools-version:6.0
// NodeSelector: picks, claims or provisions a machine for a user's task, over gRPC.
// Folder names read as the architecture; dependencies point one way:
// executables -> NodeSelectorService -> Provisioning -> {Core, SQLiteStore, HetznerClient}.
import PackageDescription

let package = Package(
  name: "NodeSelector",
  products: [
    .executable(name: "nodeselectord", targets: ["nodeselectord"]),
    .executable(name: "nodeselector", targets: ["nodeselector"]),
    .executable(name: "nodeselector-bench", targets: ["nodeselector-bench"]),
  ],
  targets: [
    // C libraries from Debian packages, through module maps (no pkgConfig: see README).
    .systemLibrary(name: "CGRPC", path: "CModules/CGRPC"),
    .systemLibrary(name: "CProtobufC", path: "CModules/CProtobufC"),
    .systemLibrary(name: "CSQLite", path: "CModules/CSQLite"),
    .systemLibrary(name: "CCurl", path: "CModules/CCurl"),

    // protoc-c output for proto/ (scripts/generate), checked in.
    .target(
      name: "CNodeSelectorProto",
      dependencies: ["CProtobufC"],
      path: "Sources/CNodeSelectorProto"
    ),
    // Swift structs for every proto message (scripts/generate), checked in.
    .target(name: "NodeSelectorMessages", dependencies: ["CNodeSelectorProto"]),
    // The only code that touches grpc_* pointers.
    .target(name: "GRPCBridge", dependencies: ["CGRPC"]),
    // One JSON line per event; shaped like swift-log, no outside package.
    .target(name: "StructuredLog"),
    // Threads and shared counters for the two benchmark executables.
    .target(name: "BenchSupport"),
    // Pure selection logic: no C, no I/O.
    .target(name: "NodeSelectorCore"),
    .target(name: "SQLiteStore", dependencies: ["CSQLite", "NodeSelectorCore"]),
    .target(name: "HetznerClient", dependencies: ["CCurl", "StructuredLog"]),
    .target(
      name: "Provisioning",
      dependencies: ["NodeSelectorCore", "SQLiteStore", "HetznerClient", "StructuredLog"]
    ),
    .target(
      name: "NodeSelectorService",
      dependencies: ["Provisioning", "NodeSelectorMessages", "GRPCBridge", "StructuredLog"]
    ),
    .executableTarget(name: "nodeselectord", dependencies: ["NodeSelectorService"]),
    .executableTarget(
      name: "nodeselector",
      dependencies: ["GRPCBridge", "NodeSelectorMessages", "StructuredLog", "BenchSupport"]
    ),
    // In-process benchmarks of the core and the store (scripts/bench, BENCHMARKS.md).
    .executableTarget(
      name: "nodeselector-bench",
      dependencies: ["NodeSelectorCore", "SQLiteStore", "BenchSupport"]
    ),

    .testTarget(name: "NodeSelectorMessagesTests", dependencies: ["NodeSelectorMessages"]),
    .testTarget(name: "GRPCBridgeTests", dependencies: ["GRPCBridge"]),
    .testTarget(name: "StructuredLogTests", dependencies: ["StructuredLog"]),
    .testTarget(name: "NodeSelectorCLITests", dependencies: ["nodeselector"]),
    .testTarget(name: "NodeSelectorCoreTests", dependencies: ["NodeSelectorCore"]),
    .testTarget(name: "SQLiteStoreTests", dependencies: ["SQLiteStore"]),
    .testTarget(name: "HetznerClientTests", dependencies: ["HetznerClient"]),
    .testTarget(name: "ProvisioningTests", dependencies: ["Provisioning"]),
    .testTarget(name: "NodeSelectorServiceTests", dependencies: ["NodeSelectorService"]),
  ],
  swiftLanguageModes: [.v5]
)
