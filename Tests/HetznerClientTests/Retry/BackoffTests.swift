import HetznerClient
import Testing

@Suite("Backoff")
struct BackoffTests {
  /// base 500 ms, cap 30 s: ceiling = min(30000, 500 * 2^(n-1)).
  @Test(
    "the ceiling doubles per attempt up to the cap",
    arguments: [
      (1, 500),  // 500 * 2^0
      (2, 1_000),  // 500 * 2^1
      (3, 2_000),  // 500 * 2^2
      (4, 4_000),
      (5, 8_000),
      (6, 16_000),  // 500 * 2^5
      (7, 30_000),  // 500 * 2^6 = 32000 -> cap
      (64, 30_000),  // would overflow -> cap
      (0, 500),  // attempts below 1 count as 1
    ] as [(Int, Int64)])
  func ceilingDoublesUpToCap(attempt: Int, ceiling: Int64) {
    let backoff = Backoff(baseMs: 500, capMs: 30_000)
    #expect(backoff.ceilingMs(attempt: attempt) == ceiling)
  }

  /// Full jitter: delay = floor(ceiling * fraction), fraction from the injected source.
  @Test(
    "jitter spans zero to the ceiling",
    arguments: [
      (0.0, 3, 0),  // 2000 * 0
      (0.5, 3, 1_000),  // 2000 * 0.5
      (1.0, 3, 2_000),  // 2000 * 1
      (0.25, 9, 7_500),  // 30000 * 0.25
      (7.0, 2, 1_000),  // an out-of-range source is clamped to 1
      (-1.0, 2, 0),  // ... and to 0
    ] as [(Double, Int, Int64)])
  func jitterSpansZeroToCeiling(fraction: Double, attempt: Int, delay: Int64) {
    let backoff = Backoff(baseMs: 500, capMs: 30_000, random: { fraction })
    #expect(backoff.delayMs(attempt: attempt) == delay)
  }

  @Test("the default random source stays within bounds")
  func defaultRandomStaysWithinBounds() {
    let backoff = Backoff(baseMs: 100, capMs: 1_000)
    for attempt in 1...20 {
      let delay = backoff.delayMs(attempt: attempt)
      #expect((0...backoff.ceilingMs(attempt: attempt)).contains(delay))
    }
  }
}
