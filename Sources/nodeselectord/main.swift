import Foundation
import NodeSelectorService

// nodeselectord: parse options, start the daemon, wait for SIGTERM/SIGINT, drain, exit.

let arguments = Array(CommandLine.arguments.dropFirst())
let parsed: DaemonOptions.Parsed
do {
  parsed = try DaemonOptions.parse(arguments, environment: ProcessInfo.processInfo.environment)
} catch {
  FileHandle.standardError.write(Data("nodeselectord: \(error)\n".utf8))
  exit(2)
}

guard case .run(let config) = parsed else {
  print(DaemonOptions.usage())
  exit(0)
}

let daemon: Daemon
do {
  daemon = try Daemon(config: config)
} catch {
  FileHandle.standardError.write(Data("nodeselectord: cannot start: \(error)\n".utf8))
  exit(1)
}

signal(SIGTERM, SIG_IGN)
signal(SIGINT, SIG_IGN)
let stop = DispatchSemaphore(value: 0)
let signals = [SIGTERM, SIGINT].map { number in
  let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
  source.setEventHandler { stop.signal() }
  source.resume()
  return source
}

daemon.start()
stop.wait()
daemon.shutdown()
withExtendedLifetime(signals) {}
exit(0)
