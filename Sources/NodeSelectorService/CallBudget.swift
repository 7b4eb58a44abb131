import Provisioning

/// How long a SelectNode may wait for a booting node: the caller's deadline less a margin.
///
/// Why the margin: the daemon's own DEADLINE_EXCEEDED names the node and tells the caller to
/// retry with the same task id. Waiting until the deadline itself meant the caller's timer
/// always ended the call first, so callers saw only their library's bare "Deadline
/// Exceeded", and the daemon, finding the call already dead, logged it as CANCELLED.
/// Answering `marginMs` early lets the useful status arrive while the caller still listens.
/// A caller whose whole deadline is shorter than the margin gets DEADLINE_EXCEEDED at once.
enum CallBudget {
  /// Time to send a status back before the caller gives up: ample on loopback and a LAN.
  static let answerMarginMs: Int64 = 100

  /// - Parameters:
  ///   - remainingMs: milliseconds until the caller's deadline; nil when it set none.
  ///   - isCancelled: true once the caller went away.
  static func waitBudget(
    remainingMs: @escaping @Sendable () -> Int64?,
    isCancelled: @escaping @Sendable () -> Bool,
    marginMs: Int64 = answerMarginMs
  ) -> WaitBudget {
    WaitBudget(
      remainingMs: { remainingMs().map { $0 - marginMs } },
      isCancelled: isCancelled)
  }
}
