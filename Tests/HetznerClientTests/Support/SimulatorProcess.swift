import Foundation

/// `scripts/hetzner_simulator.py`, started for one test on 127.0.0.1 with a free port.
///
/// Never skips: a missing python3 or script, or a simulator that prints no
/// `hetzner-simulator listening on <url>` line within 15 s, throws and fails the test.
final class SimulatorProcess {
  struct StartError: Error, CustomStringConvertible {
    let description: String
  }

  let baseURL: String
  private let process = Process()
  private let faultFile: URL

  /// - Parameters:
  ///   - token: the bearer token the simulator demands.
  ///   - faults: the fault rules as JSON text (see `--help` of the simulator).
  init(token: String, faults: String) throws {
    let script = try Self.locateScript()
    self.faultFile = FileManager.default.temporaryDirectory
      .appendingPathComponent("hz-sim-faults-\(UUID().uuidString).json")
    try Data(faults.utf8).write(to: self.faultFile)

    let output = Pipe()
    self.process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    self.process.arguments = [
      "python3", script.path, "--listen", "127.0.0.1:0", "--token", token,
      "--action-delay", "0.05", "--boot-delay", "0.05", "--address-prefix", "127.93",
      "--agent-port", String(40_000 + Int(getpid()) % 20_000), "--faults", self.faultFile.path,
    ]
    self.process.standardOutput = output
    self.process.standardError = FileHandle.nullDevice
    try Self.runWithSignalsUnblocked(self.process)

    guard let line = Self.firstLine(of: output.fileHandleForReading, within: 15),
      let range = line.range(of: "listening on ")
    else {
      Self.end(self.process)
      try? FileManager.default.removeItem(at: self.faultFile)
      throw StartError(description: "simulator at \(script.path) printed no listening line")
    }
    self.baseURL = line[range.upperBound...].trimmingCharacters(in: .whitespaces) + "/v1"
  }

  /// Ends the simulator this object started and waits for it.
  func stop() {
    Self.end(self.process)
    try? FileManager.default.removeItem(at: self.faultFile)
  }

  /// SIGTERM, then SIGKILL to the same pid if it is still running 5 s later.
  private static func end(_ process: Process) {
    guard process.isRunning else {
      return
    }
    process.terminate()
    let deadline = Date().addingTimeInterval(5)
    while process.isRunning && Date() < deadline {
      Thread.sleep(forTimeInterval: 0.05)
    }
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
    }
    process.waitUntilExit()
  }

  /// Starts `process` from a fresh thread whose signal mask is empty.
  ///
  /// Workaround: Foundation's `Process` on Linux hands the child the signal mask of the
  /// thread that calls `run()`, and the test runner's worker threads block SIGTERM and
  /// SIGINT; a simulator started there never sees `terminate()`. Remove this once
  /// swift-corelibs-foundation resets the mask when spawning.
  private static func runWithSignalsUnblocked(_ process: Process) throws {
    let failure = ErrorBox()
    let done = DispatchSemaphore(value: 0)
    Thread {
      var empty = sigset_t()
      sigemptyset(&empty)
      pthread_sigmask(SIG_SETMASK, &empty, nil)
      do {
        try process.run()
      } catch {
        failure.error = error
      }
      done.signal()
    }.start()
    done.wait()
    if let error = failure.error {
      throw error
    }
  }

  /// Walks up from this file (symlinks resolved) to the folder holding the script.
  private static func locateScript() throws -> URL {
    var folder = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    while folder.pathComponents.count > 1 {
      folder.deleteLastPathComponent()
      let script = folder.appendingPathComponent("scripts/hetzner_simulator.py")
      if FileManager.default.fileExists(atPath: script.path) {
        return script
      }
    }
    throw StartError(description: "scripts/hetzner_simulator.py not found above \(#filePath)")
  }

  private static func firstLine(of handle: FileHandle, within seconds: Int) -> String? {
    let result = LineBox()
    let done = DispatchSemaphore(value: 0)
    Thread {
      var data = Data()
      while !data.contains(UInt8(ascii: "\n")) {
        let chunk = handle.availableData
        guard !chunk.isEmpty else { break }
        data.append(chunk)
      }
      let text = String(decoding: data, as: UTF8.self)
      result.line = text.split(separator: "\n").first.map(String.init)
      done.signal()
    }.start()
    guard done.wait(timeout: .now() + .seconds(seconds)) == .success else {
      return nil
    }
    return result.line
  }

  private final class LineBox: @unchecked Sendable {
    var line: String?
  }

  private final class ErrorBox: @unchecked Sendable {
    var error: Error?
  }
}
