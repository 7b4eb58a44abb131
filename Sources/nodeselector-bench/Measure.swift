import Foundation

/// The clocks and counters every benchmark reads, and the figures it prints.
///
/// Wall time is `CLOCK_MONOTONIC` (never steps, unlike the wall clock); CPU time is this
/// process's user + system time from `getrusage`; resident size is `VmRSS` from
/// `/proc/self/status`. All are Linux facilities, which is where the benchmarks run.
enum Measure {
  /// Monotonic nanoseconds from an arbitrary origin.
  static func nowNs() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
  }

  /// User + system CPU of the whole process (every thread), in nanoseconds.
  static func processCPUNs() -> UInt64 {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func ns(_ time: timeval) -> UInt64 {
      UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_usec) * 1_000
    }
    return ns(usage.ru_utime) + ns(usage.ru_stime)
  }

  /// Resident set size in KiB (0 when /proc is unreadable).
  static func residentKiB() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
      return 0
    }
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
    return line.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
  }

  /// The value at `fraction` (0...1) of `sorted`, nearest-rank; 0 when empty.
  static func percentile(_ sorted: [UInt64], _ fraction: Double) -> UInt64 {
    guard !sorted.isEmpty else {
      return 0
    }
    let rank = Int((fraction * Double(sorted.count)).rounded(.up))
    return sorted[min(max(rank, 1), sorted.count) - 1]
  }

  /// "12.3 us", "4.56 ms", "1.20 s": three significant figures, unit chosen by size.
  static func duration(_ nanoseconds: UInt64) -> String {
    let value = Double(nanoseconds)
    switch value {
    case ..<1_000: return "\(nanoseconds) ns"
    case ..<1_000_000: return self.fixed(value / 1_000) + " us"
    case ..<1_000_000_000: return self.fixed(value / 1_000_000) + " ms"
    default: return self.fixed(value / 1_000_000_000) + " s"
    }
  }

  /// A number with 1 to 3 decimals, depending on its size.
  static func fixed(_ value: Double) -> String {
    let digits = value >= 100 ? 1 : (value >= 10 ? 2 : 3)
    return String(format: "%.\(digits)f", value)
  }
}
