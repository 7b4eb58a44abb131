import CGRPC

/// Holds the gRPC core library open. The core counts `grpc_init` calls; every server and
/// channel takes one handle and gives it back when it is destroyed, so the library stays up
/// exactly as long as something uses it.
final class GRPCLibrary {
  init() {
    grpc_init()
  }

  deinit {
    grpc_shutdown()
  }
}
