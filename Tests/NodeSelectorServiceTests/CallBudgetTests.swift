import Testing

@testable import NodeSelectorService

@Suite("SelectNode wait budget")
struct CallBudgetTests {
  @Test(
    "stops waiting a margin before the caller's deadline",
    arguments: [
      // (ms the caller has left, ms the broker may still wait) with a 100 ms margin
      (1_000, 900),
      (100, 0),  // the margin reached: the broker answers DEADLINE_EXCEEDED now
      (30, -70),  // a deadline shorter than the margin: answered at once
    ] as [(Int64, Int64)])
  func remainingIsTheDeadlineLessTheMargin(callerLeft: Int64, brokerLeft: Int64) {
    let budget = CallBudget.waitBudget(
      remainingMs: { callerLeft }, isCancelled: { false }, marginMs: 100)

    #expect(budget.remainingMs() == brokerLeft)
  }

  @Test("a call without a deadline may wait without limit")
  func noDeadlineStaysUnbounded() {
    let budget = CallBudget.waitBudget(remainingMs: { nil }, isCancelled: { false })

    #expect(budget.remainingMs() == nil)
  }

  @Test("cancellation passes through unchanged", arguments: [true, false])
  func cancellationPassesThrough(cancelled: Bool) {
    let budget = CallBudget.waitBudget(remainingMs: { 5_000 }, isCancelled: { cancelled })

    #expect(budget.isCancelled() == cancelled)
  }
}
