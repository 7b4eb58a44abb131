import Foundation

/// Dispatches `nodeselector-bench <command> [--flag value]...` and maps failures to exit
/// statuses: 0 done, 1 a benchmark failed (an invariant broke or the store threw), 2 usage.
enum BenchMain {
  static let usage = """
    nodeselector-bench: in-process benchmarks of NodeSelectorCore and SQLiteStore.

    Usage: nodeselector-bench <command> [flags]

    Commands:
      core      time NodeSelection over an in-memory inventory (warm and capacity paths)
                  --nodes 10,100,1000,10000,100000  --path warm|capacity|both
                  --min-time 0.3 (seconds per size)  --iterations N (exact count, no timing:
                  for callgrind; 0 measures set-up alone)
      claims    warm claims from T threads on one SQLite file: claims/s, lost claims,
                double claims (must be 0)
                  --threads 16  --nodes 1000  --seconds 3  --database PATH (default: temp)
      limit     T threads race the node-limit reservation for fresh users: reservations/s,
                and every user must end with exactly --node-limit rows
                  --threads 16  --users 200  --node-limit 10  --database PATH
      memory    resident size of the store and of one selection with N nodes
                  --nodes 100000  --database PATH
      populate  write N adopted running nodes for --user into --database (for the daemon)
                  --nodes 100000  --user NAME  --database PATH

    Times come from clock_gettime(CLOCK_MONOTONIC); CPU from getrusage(RUSAGE_SELF).
    """

  static func run(_ arguments: [String]) -> Int32 {
    guard let command = arguments.first, command != "--help", command != "-h" else {
      print(self.usage)
      return arguments.isEmpty ? 2 : 0
    }
    // `<command> --help` prints the same page: every command's flags are listed there.
    if arguments.contains("--help") || arguments.contains("-h") {
      print(self.usage)
      return 0
    }
    do {
      let flags = try BenchFlags(Array(arguments.dropFirst()))
      switch command {
      case "core": try CoreBench(flags).run()
      case "claims": try ClaimBench(flags).run()
      case "limit": try LimitBench(flags).run()
      case "memory": try MemoryBench(flags).run()
      case "populate": try MemoryBench(flags).populateOnly()
      default: throw BenchUsageError("unknown command '\(command)'")
      }
      return 0
    } catch let error as BenchUsageError {
      FileHandle.standardError.write(Data("error: \(error.message)\n\(self.usage)\n".utf8))
      return 2
    } catch {
      FileHandle.standardError.write(Data("error: \(error)\n".utf8))
      return 1
    }
  }
}

/// A wrong command line; printed with the usage text, exit status 2.
struct BenchUsageError: Error {
  let message: String

  init(_ message: String) {
    self.message = message
  }
}

/// A benchmark whose invariant broke (a double claim, a limit exceeded): exit status 1.
struct BenchFailure: Error, CustomStringConvertible {
  let description: String
}
