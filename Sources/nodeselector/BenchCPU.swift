import Foundation

/// CPU time of the daemon (from `/proc/<pid>/stat`) and of this client (`getrusage`), so
/// each throughput figure can say what a call cost on each side.
///
/// `/proc/<pid>/stat` fields 14 and 15 are utime and stime of the whole process (every
/// thread) in clock ticks, usually 100 per second: a 5 s phase resolves to about 0.2%.
/// Only meaningful when the daemon runs on this machine; nil fields otherwise.
enum BenchCPU {
  struct Sample {
    /// Daemon user + system time in nanoseconds; nil without a readable pid.
    var serverNs: UInt64?
    /// This process's user + system time in nanoseconds (every bench thread).
    var clientNs: UInt64

    func minus(_ earlier: Sample) -> Sample {
      var server: UInt64?
      if let now = self.serverNs, let then = earlier.serverNs {
        server = now - min(now, then)
      }
      return Sample(
        serverNs: server, clientNs: self.clientNs - min(self.clientNs, earlier.clientNs))
    }
  }

  static func sample(serverPID: Int32?) -> Sample {
    Sample(serverNs: serverPID.flatMap(self.processNs), clientNs: self.ownNs())
  }

  /// utime + stime of `pid` in nanoseconds, nil when it cannot be read.
  static func processNs(_ pid: Int32) -> UInt64? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = text.lastIndex(of: ")")
    else {
      return nil
    }
    // After "pid (comm)" the fields start at number 3 (state); utime is 14, stime 15.
    let fields = text[text.index(after: close)...].split(separator: " ")
    guard fields.count > 12, let user = UInt64(fields[11]), let system = UInt64(fields[12])
    else {
      return nil
    }
    let ticks = UInt64(max(1, sysconf(Int32(_SC_CLK_TCK))))
    return (user + system) * 1_000_000_000 / ticks
  }

  private static func ownNs() -> UInt64 {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func ns(_ time: timeval) -> UInt64 {
      UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_usec) * 1_000
    }
    return ns(usage.ru_utime) + ns(usage.ru_stime)
  }
}
