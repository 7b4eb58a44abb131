import Foundation

// nodeselector-bench: in-process benchmarks of the selection core and the SQLite store,
// with no gRPC in the way. `nodeselector-bench --help` lists the commands; scripts/bench
// runs them all and BENCHMARKS.md records what they printed.

exit(BenchMain.run(Array(CommandLine.arguments.dropFirst())))
