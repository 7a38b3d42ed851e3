import Testing
@testable import WardenCore

/// What `/metrics` reads: one snapshot per budget instance with its units, ratios, period end
/// and ladder.
@Suite("RuleEngine snapshots")
struct RuleEngineSnapshotTests {
    typealias F = EngineFixtures

    static let both = BudgetLimit(money: .init(amount: F.money("100"), currency: "USD"), tokens: 1_000)

    @Test func aSnapshotHasOneUnitPerLimitWithExactAmountsAndRatios() {
        var engine = F.engine([F.budget("acme", limit: Self.both, thresholds: F.ladder)])
        engine.record(F.usage(cost: "50", input: 150, output: 50, at: F.t0))
        _ = engine.check(F.request(cost: "10", input: 100), reservationID: "r1", at: F.t0)
        let snapshots = engine.budgetSnapshots(at: F.t0)
        #expect(snapshots.count == 1)
        let snapshot = snapshots[0]
        #expect(snapshot.budget == "acme")
        #expect(snapshot.labels.isEmpty)
        #expect(snapshot.period == "monthly")
        #expect(snapshot.periodEnd == F.endOfMarchUTC)
        #expect(snapshot.units.map(\.unit) == ["USD", "tokens"])
        #expect(snapshot.units.map(\.limit) == [F.money("100"), F.money("1000")])
        #expect(snapshot.units.map(\.used) == [F.money("50"), F.money("200")])
        #expect(snapshot.units.map(\.reserved) == [F.money("10"), F.money("100")])
        #expect(snapshot.units.map(\.ratio) == [F.money("0.5"), F.money("0.2")])
        #expect(snapshot.steps == [.notify, .warn, .throttle, .deny])
        #expect(snapshot.activeStep == .notify)
    }

    @Test func aRatioIsExactToTheNanoAndRoundedDown() {
        var engine = F.engine([F.budget(limit: F.usd("3"))])
        engine.record(F.usage(cost: "1", at: F.t0))
        #expect(engine.budgetSnapshots(at: F.t0).first?.units.first?.ratio == F.money("0.333333333"))
    }

    @Test func theStepListNamesEachActionOnceInLadderOrder() {
        var engine = F.engine([F.budget(thresholds: [F.step("50%", .warn), F.step("90%", .warn), F.step("100%", .deny)])])
        engine.record(F.usage(cost: "95", at: F.t0))
        let snapshot = engine.budgetSnapshots(at: F.t0).first
        #expect(snapshot?.steps == [.warn, .deny])
        #expect(snapshot?.activeStep == .warn)
    }

    @Test func aSnapshotAfterThePeriodEndShowsAnEmptyWindowWithoutRollingItOver() {
        var engine = F.engine([F.budget(thresholds: F.ladder)])
        engine.record(F.usage(cost: "90", at: F.t0))
        let snapshot = engine.budgetSnapshots(at: F.endOfMarchUTC).first
        #expect(snapshot?.units.first?.used == .zero)
        #expect(snapshot?.activeStep == nil)
        // The engine itself is unchanged until a tick.
        #expect(engine.instance()?.used.money == F.money("90"))
    }

    @Test func rollingAndTotalBudgetsHaveNoPeriodEnd() {
        var engine = F.engine([F.budget("rolling", period: .rolling(F.duration("1h"))), F.budget("total", period: .total)])
        engine.record(F.usage(cost: "10", at: F.t0))
        let snapshots = engine.budgetSnapshots(at: F.t0)
        #expect(snapshots.map(\.period) == ["rolling 1h", "total"])
        #expect(snapshots.map { $0.periodEnd == nil } == [true, true])
        #expect(snapshots.map { $0.units[0].used } == [F.money("10"), F.money("10")])
        // The rolling usage ages out of the snapshot too.
        #expect(engine.budgetSnapshots(at: F.after(F.t0, 2 * F.hour)).first?.units.first?.used == .zero)
    }

    @Test func loadedRuleCountsAreByKind() {
        let engine = F.engine([F.budget()], quotas: [F.quota("q", 1, .requests)], policies: [])
        #expect(engine.loadedRuleCounts.map(\.kind) == [.budget, .quota, .policy])
        #expect(engine.loadedRuleCounts.map(\.count) == [1, 1, 0])
    }
}
