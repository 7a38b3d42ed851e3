import Testing
@testable import WardenCore

/// The graduated ladder of the issue — 50% notify, 80% warn, 100% throttle, 120% deny — on a
/// 100 USD monthly budget: crossings are audited one row per step, in order, and checks at each
/// level get that step's answer with exact ratios and remaining amounts.
@Suite("RuleEngine ladder")
struct RuleEngineLadderTests {
    typealias F = EngineFixtures

    static func ladderEngine() -> RuleEngine { F.engine([F.budget("team-monthly", thresholds: F.ladder)]) }

    /// An engine whose committed usage is `used` USD, recorded at t0.
    static func engine(used: String) -> RuleEngine {
        var engine = ladderEngine()
        engine.record(F.usage(cost: used, at: F.t0))
        return engine
    }

    @Test func recordingUsageStepByStepCrossesEachStepOnceInOrder() {
        var engine = Self.ladderEngine()
        var rows: [AuditEvent] = []
        for (minute, cost) in ["30", "20", "30", "20", "20", "5"].enumerated() {
            rows += engine.record(F.usage(cost: cost, at: F.after(F.t0, Int64(minute) * F.minute)))
        }
        #expect(rows.map(\.action) == [
            AuditAction.thresholdCrossedUp, AuditAction.thresholdCrossedUp, AuditAction.thresholdCrossedUp,
            AuditAction.throttleStarted, AuditAction.thresholdCrossedUp,
        ])
        #expect(rows.map(\.decision) == ["notify", "warn", "throttle", "throttle", "deny"])
        #expect(rows.map { $0.observed ?? "" } == ["50", "80", "100", "100", "120"])
        #expect(rows.allSatisfy { $0.limit == "100" && $0.rule == "team-monthly" && $0.kind == .budget })
        #expect(rows.allSatisfy { $0.detailCause == "usage" && $0.detail.text("period") == "2025-03" })
        // Each row is stamped with the time of the event that crossed the step.
        #expect(rows.map(\.time) == [1, 2, 3, 3, 4].map { F.after(F.t0, Int64($0) * F.minute) })
        #expect(engine.instance()?.activeStep == 3)
    }

    @Test func oneEventCrossingSeveralStepsWritesARowForEachInOrder() {
        var engine = Self.ladderEngine()
        let rows = engine.record(F.usage(cost: "130", at: F.t0))
        #expect(rows.map(\.decision) == ["notify", "warn", "throttle", "deny", "throttle"])
        #expect(rows.map(\.action).filter { $0 == AuditAction.throttleStarted }.count == 1)
    }

    @Test func belowTheFirstStepACheckIsAPlainAllowWithTheRatioAndWhatIsLeft() {
        var engine = Self.engine(used: "20")
        let outcome = engine.check(F.request(cost: "10"), reservationID: "r1", at: F.t0)
        #expect(outcome.decision == .allow)
        let reason = outcome.reason("team-monthly")
        #expect(reason?.decision == .allow)
        #expect(reason?.message == "within budget")
        #expect(reason?.usageRatio == F.money("0.3"))
        #expect(reason?.remaining == "80 USD")
        #expect(outcome.reservation?.amount == F.money("10"))
    }

    @Test func atTheNotifyStepACheckIsAllowedWithANotifyReason() {
        var engine = Self.engine(used: "50")
        let outcome = engine.check(F.request(cost: "1.25"), reservationID: "r1", at: F.t0)
        #expect(outcome.decision == .allow)
        let reason = outcome.reason("team-monthly")
        #expect(reason?.decision == .allow)
        #expect(reason?.message == "budget team-monthly at 50%: notify")
        #expect(reason?.usageRatio == F.money("0.5125"))
        #expect(reason?.remaining == "50 USD")
        #expect(outcome.reservation != nil)
        #expect(outcome.audit.isEmpty)
    }

    @Test func atTheWarnStepACheckWarnsAndStillReserves() {
        var engine = Self.engine(used: "80")
        let outcome = engine.check(F.request(cost: "0.5"), reservationID: "r1", at: F.t0)
        #expect(outcome.decision == .warn)
        #expect(outcome.reason("team-monthly")?.usageRatio == F.money("0.805"))
        #expect(outcome.reason("team-monthly")?.remaining == "20 USD")
        #expect(outcome.reservation?.amount == F.money("0.5"))
        #expect(outcome.retryAfter == nil)
        #expect(engine.counters.decisions[.init(decision: .warn, kind: "budget", rule: "team-monthly")] == 1)
    }

    @Test func atTheThrottleStepACheckIsThrottledUntilThePeriodEnds() {
        var engine = Self.engine(used: "100")
        let now = F.at("2025-03-31T23:00:00Z")
        let outcome = engine.check(F.request(cost: "1"), reservationID: "r1", at: now)
        #expect(outcome.decision == .throttle)
        #expect(outcome.retryAfter == F.hour)
        #expect(outcome.reason("team-monthly")?.retryAfter == F.hour)
        #expect(outcome.reason("team-monthly")?.remaining == "0 USD")
        #expect(outcome.reservation == nil)
        #expect(engine.activeReservations == 0)
        #expect(engine.instance()?.reserved == .zero)
        #expect(engine.counters.decisions[.init(decision: .throttle, kind: "budget", rule: "team-monthly")] == 1)
    }

    @Test func atTheDenyStepACheckIsDeniedWithADenyAuditRow() {
        var engine = Self.engine(used: "120")
        let outcome = engine.check(F.request(cost: "1"), reservationID: "r1", at: F.t0)
        #expect(outcome.decision == .deny)
        #expect(outcome.retryAfter == nil)
        #expect(outcome.reservation == nil)
        #expect(outcome.reason("team-monthly")?.usageRatio == F.money("1.21"))
        #expect(outcome.audit.count == 1)
        let row = outcome.audit.first
        #expect(row?.action == AuditAction.deny)
        #expect(row?.kind == .budget)
        #expect(row?.rule == "team-monthly")
        #expect(row?.decision == "deny")
        // The amounts compared: used + reserved + estimate against the limit, in the budget's unit.
        #expect(row?.observed == "121")
        #expect(row?.limit == "100")
        #expect(engine.counters.decisions[.init(decision: .deny, kind: "budget", rule: "team-monthly")] == 1)
    }

    @Test func aProjectionPastAStepAppliesItBeforeUsageReachesIt() {
        // 79 used + 1.01 estimated is strictly above 80%: the request is warned about.
        var engine = Self.engine(used: "79")
        #expect(engine.check(F.request(cost: "1.01"), reservationID: "r1", at: F.t0).decision == .warn)
        // 78 used + 1 reserved + 1 estimated is exactly 80%: not above, not reached.
        var exact = Self.engine(used: "78")
        #expect(exact.check(F.request(cost: "1"), reservationID: "r1", at: F.t0).decision == .allow)
        #expect(exact.check(F.request(cost: "1"), reservationID: "r2", at: F.t0).decision == .allow)
        #expect(exact.check(F.request(cost: "0.000000000000000001"), reservationID: "r3", at: F.t0).decision == .warn)
    }

    @Test func theStrictestOfSeveralMatchingBudgetsDecidesAndAllAreReported() {
        var engine = F.engine([
            F.budget("org", scope: F.scope([("org", .equals("acme"))]), limit: F.usd("1000"), thresholds: F.ladder),
            F.budget("team", scope: F.scope([("team", .equals("search"))]), limit: F.usd("100"), thresholds: F.ladder),
        ])
        engine.record(F.usage(cost: "85", at: F.t0))
        let outcome = engine.check(F.request(cost: "1"), reservationID: "r1", at: F.t0)
        #expect(outcome.decision == .warn)
        #expect(outcome.reasons.map(\.rule) == ["org", "team"])
        #expect(outcome.reasons.map(\.decision) == [.allow, .warn])
        #expect(outcome.decidingReason?.rule == "team")
        // The reservation holds on both budgets.
        #expect(engine.instance(0)?.reserved.money == F.money("1"))
        #expect(engine.instance(1)?.reserved.money == F.money("1"))
    }
}
