import Testing
@testable import WardenCore

/// Windows: a calendar month in Europe/Berlin rolls over at local midnight (DST included), with
/// rollover of unspent budget, and a rolling hour lets usage age out.
@Suite("RuleEngine periods")
struct RuleEnginePeriodTests {
    typealias F = EngineFixtures

    /// Berlin switched to CEST on 2025-03-30, so April starts at 2025-03-31T22:00:00Z.
    static let aprilBerlin = F.at("2025-03-31T22:00:00Z")
    static let mayBerlin = F.at("2025-04-30T22:00:00Z")

    static func berlinEngine(limit: String = "100", rollover: BudgetRollover? = nil,
                             thresholds: [ThresholdStep] = F.ladder) throws -> RuleEngine {
        let berlin = try TimeZoneTestData.rules("Europe/Berlin")
        return F.engine([F.budget("acme-monthly", period: .monthly, timeZone: berlin, limit: F.usd(limit),
                                  rollover: rollover, thresholds: thresholds)])
    }

    @Test func aTickAcrossTheBerlinMonthEndCrossesStepsDownAndStartsFromZero() throws {
        var engine = try Self.berlinEngine()
        engine.record(F.usage(cost: "85", at: F.at("2025-03-20T12:00:00Z")))
        #expect(engine.tick(at: F.after(Self.aprilBerlin, -1)).isEmpty)
        #expect(engine.budgetSnapshots(at: F.after(Self.aprilBerlin, -1)).first?.periodEnd == Self.aprilBerlin)
        let rows = engine.tick(at: Self.aprilBerlin)
        #expect(rows.map(\.action) == [AuditAction.thresholdCrossedDown, AuditAction.thresholdCrossedDown])
        #expect(rows.map(\.decision) == ["warn", "notify"])
        #expect(rows.allSatisfy { $0.detailCause == "period_end" && $0.observed == "0" })
        #expect(rows.allSatisfy { $0.detail.text("period") == "2025-04" })
        let snapshot = engine.budgetSnapshots(at: Self.aprilBerlin).first
        #expect(snapshot?.units.first?.used == .zero)
        #expect(snapshot?.activeStep == nil)
        #expect(snapshot?.periodEnd == Self.mayBerlin)
        #expect(engine.check(F.request(cost: "1"), reservationID: "r1", at: Self.aprilBerlin).decision == .allow)
    }

    @Test func leavingAThrottleAtThePeriodEndWritesThrottleEnded() throws {
        var engine = try Self.berlinEngine()
        engine.record(F.usage(cost: "100", at: F.at("2025-03-20T12:00:00Z")))
        let rows = engine.tick(at: Self.aprilBerlin)
        #expect(rows.map(\.decision) == ["throttle", "warn", "notify", "throttle"])
        #expect(rows.last?.action == AuditAction.throttleEnded)
    }

    @Test func usageJustAfterLocalMidnightCountsInTheNewMonth() throws {
        var engine = try Self.berlinEngine()
        engine.record(F.usage(cost: "30", at: F.after(Self.aprilBerlin, -F.second)))
        engine.record(F.usage(cost: "20", at: Self.aprilBerlin))
        #expect(engine.instance()?.used.money == F.money("20"))
        #expect(engine.instance()?.window?.identifier == "2025-04")
    }

    @Test func rolloverCarriesTheUnspentAmountUpToItsMaximum() throws {
        var engine = try Self.berlinEngine(limit: "500", rollover: BudgetRollover(maxMoney: F.money("100")))
        engine.record(F.usage(cost: "350", at: F.at("2025-03-20T12:00:00Z")))
        _ = engine.tick(at: Self.aprilBerlin)
        // 150 unspent, capped at 100.
        #expect(engine.budgetSnapshots(at: Self.aprilBerlin).first?.units.first?.limit == F.money("600"))

        var small = try Self.berlinEngine(limit: "500", rollover: BudgetRollover(maxMoney: F.money("100")))
        small.record(F.usage(cost: "460.5", at: F.at("2025-03-20T12:00:00Z")))
        _ = small.tick(at: Self.aprilBerlin)
        #expect(small.budgetSnapshots(at: Self.aprilBerlin).first?.units.first?.limit == F.money("539.5"))
    }

    @Test func rolloverWithAShareCarriesThatShareOfTheUnspentAmount() throws {
        var engine = try Self.berlinEngine(limit: "500", rollover: BudgetRollover(share: F.percent("50%"), maxMoney: F.money("100")))
        engine.record(F.usage(cost: "380", at: F.at("2025-03-20T12:00:00Z")))
        _ = engine.tick(at: Self.aprilBerlin)
        #expect(engine.budgetSnapshots(at: Self.aprilBerlin).first?.units.first?.limit == F.money("560"))
    }

    @Test func rolloverDoesNotCompoundAndNeedsTheDirectlyPreviousWindow() throws {
        var engine = try Self.berlinEngine(limit: "500", rollover: BudgetRollover(maxMoney: F.money("1000")))
        engine.record(F.usage(cost: "100", at: F.at("2025-03-20T12:00:00Z")))
        _ = engine.tick(at: Self.aprilBerlin)
        #expect(engine.budgetSnapshots(at: Self.aprilBerlin).first?.units.first?.limit == F.money("900"))
        // April spends 0 of its 900: May carries the base limit's unspent 500, not 900.
        _ = engine.tick(at: Self.mayBerlin)
        #expect(engine.budgetSnapshots(at: Self.mayBerlin).first?.units.first?.limit == F.money("1000"))
    }

    @Test func aLateEventFromThePreviousMonthCountsTowardRolloverNotTheNewMonth() throws {
        var engine = try Self.berlinEngine(limit: "500", rollover: BudgetRollover(maxMoney: F.money("100")))
        engine.record(F.usage(cost: "350", at: F.at("2025-03-20T12:00:00Z")))
        _ = engine.tick(at: Self.aprilBerlin)
        // Sent at 23:50 Berlin time on March 31, received after midnight.
        let late = F.usage(cost: "100", at: F.at("2025-03-31T21:50:00Z"))
        let rows = engine.record([late], at: F.after(Self.aprilBerlin, 5 * F.minute))
        #expect(rows.isEmpty)
        #expect(engine.instance()?.used == .zero)
        #expect(engine.instance()?.previousUsed.money == F.money("450"))
        // 50 unspent now carries.
        #expect(engine.budgetSnapshots(at: Self.aprilBerlin).first?.units.first?.limit == F.money("550"))
    }

    @Test func aLateEventArrivingBeforeTheTickStillCountsForThePreviousMonth() throws {
        var engine = try Self.berlinEngine(limit: "500", rollover: BudgetRollover(maxMoney: F.money("100")))
        engine.record(F.usage(cost: "350", at: F.at("2025-03-20T12:00:00Z")))
        // No tick yet: the record itself moves the budget into April.
        let rows = engine.record([F.usage(cost: "100", at: F.at("2025-03-31T21:50:00Z"))], at: F.after(Self.aprilBerlin, F.minute))
        #expect(rows.map(\.action) == [AuditAction.thresholdCrossedDown])
        #expect(engine.instance()?.used == .zero)
        #expect(engine.budgetSnapshots(at: Self.aprilBerlin).first?.units.first?.limit == F.money("550"))
    }

    @Test func withoutRolloverALateEventFromThePreviousMonthIsNotCounted() throws {
        var engine = try Self.berlinEngine()
        _ = engine.tick(at: Self.aprilBerlin)
        engine.record(F.usage(cost: "10", at: Self.aprilBerlin))
        _ = engine.record([F.usage(cost: "100", at: F.at("2025-03-31T21:50:00Z"))], at: F.after(Self.aprilBerlin, F.minute))
        #expect(engine.instance()?.used.money == F.money("10"))
    }

    // MARK: rolling

    static func rollingEngine() -> RuleEngine {
        F.engine([F.budget("hourly-rolling", period: .rolling(F.duration("1h")))])
    }

    @Test func usageLeavesARollingWindowWithinOneBucketAfterTheWindow() {
        var engine = Self.rollingEngine()
        // 1h / 120 = 30-second buckets; usage 10 s into a bucket.
        let spent = F.after(F.t0, 10 * F.second)
        engine.record(F.usage(cost: "100", at: spent))
        let stillIn = F.after(spent, F.hour)
        #expect(engine.tick(at: stillIn).isEmpty)
        #expect(engine.check(F.request(cost: "1"), reservationID: "r1", at: stillIn).decision == .deny)
        let out = F.after(spent, F.hour + 30 * F.second)
        let rows = engine.tick(at: out)
        #expect(rows.map(\.action) == [AuditAction.thresholdCrossedDown])
        #expect(rows.first?.detailCause == "window")
        #expect(engine.budgetSnapshots(at: out).first?.units.first?.used == .zero)
        #expect(engine.check(F.request(cost: "100"), reservationID: "r2", at: out).decision == .allow)
    }

    @Test func aRollingThrottleRetriesWhenTheOldestUsageLeaves() {
        var engine = F.engine([F.budget("hourly-rolling", period: .rolling(F.duration("1h")),
                                        thresholds: [F.step("100%", .throttle)])])
        engine.record(F.usage(cost: "100", at: F.t0))
        let outcome = engine.check(F.request(cost: "1"), reservationID: "r1", at: F.after(F.t0, 20 * F.minute))
        #expect(outcome.decision == .throttle)
        #expect(outcome.retryAfter == 40 * F.minute + 30 * F.second)
    }

    @Test func rollingUsageOlderThanTheWindowIsIgnored() {
        var engine = Self.rollingEngine()
        _ = engine.record([F.usage(cost: "100", at: F.t0)], at: F.after(F.t0, F.hour))
        #expect(engine.instance()?.currentUsed == .zero)
        _ = engine.record([F.usage(cost: "100", at: F.after(F.t0, 1))], at: F.after(F.t0, F.hour))
        #expect(engine.instance()?.currentUsed.money == F.money("100"))
    }
}
