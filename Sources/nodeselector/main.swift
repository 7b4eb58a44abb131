import Foundation

// nodeselector: the bundled command-line client. Parsing, calling and printing live in
// NodeSelectorCLI; this file only hands it the process's arguments and exits with its status.

let cli = NodeSelectorCLI(environment: ProcessInfo.processInfo.environment)
exit(cli.run(Array(CommandLine.arguments.dropFirst())))
