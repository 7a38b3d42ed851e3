import Testing
@testable import WardenCore

/// Steps that soften or meter enforcement: `grace` (a throttle or deny step only warns for a
/// while after it is first reached) and a throttle step's `rate` (requests pass at that rate).
@Suite("RuleEngine grace and throttle rates")
struct RuleEngineGraceAndRateTests {
    typealias F = EngineFixtures

    @Test func aDenyStepWithGraceWarnsUntilFifteenMinutesAfterItWasReachedThenDenies() {
        var engine = F.engine([F.budget(thresholds: [F.step("100%", .deny, grace: "15m")])])
        engine.record(F.usage(cost: "100", at: F.t0))
        let inGrace = engine.check(F.request(cost: "1"), reservationID: "r1", at: F.after(F.t0, 15 * F.minute - 1))
        #expect(inGrace.decision == .warn)
        #expect(inGrace.reason("b")?.message.contains("in grace until 2025-03-10T12:15:00Z") == true)
        #expect(inGrace.reservation != nil)
        let after = engine.check(F.request(cost: "1"), reservationID: "r2", at: F.after(F.t0, 15 * F.minute))
        #expect(after.decision == .deny)
        #expect(after.audit.map(\.action) == [AuditAction.deny])
    }

    @Test func graceStartsWhenAProjectionFirstReachesTheStep() {
        var engine = F.engine([F.budget(thresholds: [F.step("100%", .deny, grace: "15m")])])
        engine.record(F.usage(cost: "90", at: F.t0))
        let later = F.after(F.t0, F.hour)
        #expect(engine.check(F.request(cost: "20"), reservationID: "r1", at: later).decision == .warn)
        // Committed usage reaching the step later does not restart the clock.
        engine.record(F.usage(cost: "20", at: F.after(later, 10 * F.minute), reservation: "r1"))
        #expect(engine.check(F.request(cost: "1"), reservationID: "r2", at: F.after(later, 14 * F.minute)).decision == .warn)
        #expect(engine.check(F.request(cost: "1"), reservationID: "r3", at: F.after(later, 15 * F.minute)).decision == .deny)
    }

    @Test func aThrottleStepWithGraceWarnsThenThrottles() {
        var engine = F.engine([F.budget(thresholds: [F.step("100%", .throttle, grace: "15m")])])
        engine.record(F.usage(cost: "100", at: F.t0))
        #expect(engine.check(F.request(cost: "1"), reservationID: "r1", at: F.after(F.t0, F.minute)).decision == .warn)
        let throttled = engine.check(F.request(cost: "1"), reservationID: "r2", at: F.after(F.t0, 15 * F.minute))
        #expect(throttled.decision == .throttle)
        #expect(throttled.retryAfter == F.endOfMarchUTC.nanosecondsSinceEpoch - F.after(F.t0, 15 * F.minute).nanosecondsSinceEpoch)
    }

    @Test func aThrottleStepWithARateLetsTenRequestsAMinuteThrough() {
        var engine = F.engine([F.budget(thresholds: [F.step("100%", .throttle, rate: "10 requests/1m")])])
        engine.record(F.usage(cost: "100", at: F.t0))
        for number in 1...10 {
            let outcome = engine.check(F.request(cost: "0.01"), reservationID: "r\(number)", at: F.t0)
            #expect(outcome.decision == .warn)
            #expect(outcome.reason("b")?.message == "budget b at 100%: throttle; throttled to 10 requests/1m")
        }
        let eleventh = engine.check(F.request(cost: "0.01"), reservationID: "r11", at: F.t0)
        #expect(eleventh.decision == .throttle)
        // One request is earned back every 6 seconds.
        #expect(eleventh.retryAfter == 6 * F.second)
        #expect(eleventh.reservation == nil)
        #expect(engine.check(F.request(cost: "0.01"), reservationID: "r12", at: F.after(F.t0, 6 * F.second - 1)).decision == .throttle)
        #expect(engine.check(F.request(cost: "0.01"), reservationID: "r13", at: F.after(F.t0, 6 * F.second)).decision == .warn)
    }

    @Test func aRequestRefusedElsewhereDoesNotUseTheThrottleRate() {
        // One request a minute passes the throttle; a request a policy denies must not take it.
        var engine = F.engine([F.budget(thresholds: [F.step("100%", .throttle, rate: "1 requests/1m")])],
                              policies: [F.policy("no-o1", "model == \"o1\"", .deny)])
        engine.record(F.usage(cost: "100", at: F.t0))
        #expect(engine.check(F.request(cost: "1", model: "o1"), reservationID: "r1", at: F.t0).decision == .deny)
        #expect(engine.check(F.request(cost: "1"), reservationID: "r2", at: F.t0).decision == .warn)
    }

    @Test func aRequestAnotherBudgetDeniesDoesNotUseTheThrottleRate() {
        var engine = F.engine([
            F.budget("org", thresholds: [F.step("100%", .throttle, rate: "1 requests/1m")]),
            F.budget("team", scope: F.scope([("team", .equals("search"))]), limit: F.usd("1000")),
        ])
        engine.record(F.usage(cost: "100", at: F.t0))
        #expect(engine.check(F.request(cost: "2000"), reservationID: "r1", at: F.t0).decision == .deny)
        #expect(engine.check(F.request(cost: "1"), reservationID: "r2", at: F.t0).decision == .warn)
        #expect(engine.check(F.request(cost: "1"), reservationID: "r3", at: F.t0).decision == .throttle)
    }
}
