import Testing
@testable import WardenCore

/// Reload keeps the state of rules whose identity did not change; restore rebuilds usage from the
/// store without auditing crossings again.
@Suite("RuleEngine reload and restore")
struct RuleEngineReloadTests {
    typealias F = EngineFixtures

    static let later = F.after(F.t0, F.hour)

    @Test func aBudgetWithTheSameIdentityKeepsUsageAndReservations() {
        var engine = F.engine([F.budget(thresholds: F.ladder)])
        engine.record(F.usage(cost: "30", at: F.t0))
        _ = engine.check(F.request(cost: "40"), reservationID: "r1", at: F.t0)
        var (reloaded, fresh, rows) = engine.reloaded(with: RuleSet(budgets: [F.budget(thresholds: F.ladder)]), at: Self.later)
        #expect(fresh.isEmpty)
        #expect(rows.isEmpty)
        #expect(reloaded.instance()?.used.money == F.money("30"))
        #expect(reloaded.instance()?.reserved.money == F.money("40"))
        #expect(reloaded.activeReservations == 1)
        #expect(reloaded.release("r1", at: Self.later) == true)
        #expect(reloaded.instance()?.reserved == .zero)
    }

    @Test func countersCarryOverAReload() {
        var engine = F.engine([F.budget()])
        _ = engine.check(F.request(cost: "101"), reservationID: "r1", at: F.t0)
        let (reloaded, _, _) = engine.reloaded(with: RuleSet(budgets: [F.budget()]), at: Self.later)
        #expect(reloaded.counters.decisions[.init(decision: .deny, kind: "budget", rule: "b")] == 1)
    }

    @Test func aChangedLimitReDerivesTheStepWithReloadRows() {
        var engine = F.engine([F.budget(thresholds: F.ladder)])
        engine.record(F.usage(cost: "60", at: F.t0))
        #expect(engine.instance()?.activeStep == 0)
        // 60 of 70 is 85.7%: the warn step is crossed by the reload.
        let (tighter, _, up) = engine.reloaded(with: RuleSet(budgets: [F.budget(limit: F.usd("70"), thresholds: F.ladder)]), at: Self.later)
        #expect(up.map(\.action) == [AuditAction.thresholdCrossedUp])
        #expect(up.map(\.decision) == ["warn"])
        #expect(up.first?.detailCause == "reload")
        #expect(up.first?.limit == "70")
        #expect(up.first?.time == Self.later)
        #expect(tighter.instance()?.activeStep == 1)
        // 60 of 200 is 30%: both steps are left.
        let (looser, _, down) = tighter.reloaded(with: RuleSet(budgets: [F.budget(limit: F.usd("200"), thresholds: F.ladder)]), at: Self.later)
        #expect(down.map(\.action) == [AuditAction.thresholdCrossedDown, AuditAction.thresholdCrossedDown])
        #expect(down.map(\.decision) == ["warn", "notify"])
        #expect(looser.instance()?.activeStep == nil)
    }

    @Test func aChangedLadderIsSettledAgainstTheNewSteps() {
        var engine = F.engine([F.budget(thresholds: F.ladder)])
        engine.record(F.usage(cost: "60", at: F.t0))
        let (reloaded, _, rows) = engine.reloaded(with: RuleSet(budgets: [F.budget(thresholds: [F.step("50%", .deny)])]), at: Self.later)
        #expect(rows.map(\.decision) == ["deny"])
        #expect(rows.first?.detailCause == "reload")
        var copy = reloaded
        #expect(copy.check(F.request(), reservationID: "r1", at: Self.later).decision == .deny)
    }

    @Test func aNewBudgetIsFreshAndRestoredFromTheStoreWithoutRows() {
        let events = [F.usage(cost: "30", at: F.t0), F.usage(cost: "30", at: F.after(F.t0, F.minute))]
        var engine = F.engine([F.budget("old", thresholds: F.ladder)])
        for event in events { engine.record(event) }
        let newRules = RuleSet(budgets: [F.budget("new", limit: F.usd("50"), thresholds: F.ladder), F.budget("old", thresholds: F.ladder)])
        var (reloaded, fresh, rows) = engine.reloaded(with: newRules, at: Self.later)
        #expect(fresh == [0])
        #expect(rows.isEmpty)
        #expect(reloaded.instance(0) == nil)
        #expect(reloaded.restoreStart(at: Self.later, onlyBudgets: fresh) == F.at("2025-03-01T00:00:00Z"))
        reloaded.restore(events, onlyBudgets: fresh, at: Self.later)
        #expect(reloaded.instance(0)?.used.money == F.money("60"))
        #expect(reloaded.instance(0)?.activeStep == 3)  // 60 of 50 is 120%: deny
        // The surviving budget is not counted twice.
        #expect(reloaded.instance(1)?.used.money == F.money("60"))
    }

    @Test func restoreRebuildsUsageAndStepsSoOnlyNewCrossingsAreAudited() {
        var engine = F.engine([F.budget(thresholds: F.ladder)])
        engine.restore([F.usage(cost: "50", at: F.t0), F.usage(cost: "35", at: F.after(F.t0, F.minute))], at: Self.later)
        #expect(engine.instance()?.used.money == F.money("85"))
        #expect(engine.instance()?.activeStep == 1)
        // Grace clocks restart from the events' own times.
        #expect(engine.instance()?.stepReachedAt[1] == F.after(F.t0, F.minute))
        let rows = engine.record(F.usage(cost: "15", at: Self.later))
        #expect(rows.map(\.decision) == ["throttle", "throttle"])
        #expect(rows.map(\.action) == [AuditAction.thresholdCrossedUp, AuditAction.throttleStarted])
    }

    @Test func restoreIgnoresEventsOutsideTheWindowAndTouchesNoQuota() {
        var engine = F.engine([F.budget()], quotas: [F.quota("user-tokens", 1_000, .tokens)])
        engine.restore([F.usage(cost: "99", at: F.at("2025-02-28T23:59:59Z")),
                        F.usage(cost: "10", input: 900, at: F.t0)], at: Self.later)
        #expect(engine.instance()?.used == UsageAmount(money: F.money("10"), tokens: 900))
        #expect(engine.quotas[0].snapshot(QuotaKey(labelValues: ["u1"]), at: Self.later).remaining == 1_000)
    }

    @Test func restoreStartCoversThePreviousWindowWhenRolloverIsSet() {
        let now = F.t0
        func start(_ budget: BudgetRule) -> Timestamp? { F.engine([budget]).restoreStart(at: now) }
        #expect(start(F.budget(period: .monthly)) == F.at("2025-03-01T00:00:00Z"))
        #expect(start(F.budget(period: .monthly, rollover: BudgetRollover(maxMoney: F.money("10")))) == F.at("2025-02-01T00:00:00Z"))
        #expect(start(F.budget(period: .daily, rollover: BudgetRollover(share: F.percent("10%")))) == F.at("2025-03-09T00:00:00Z"))
        #expect(start(F.budget(period: .rolling(F.duration("1h")))) == F.at("2025-03-10T11:00:00Z"))
        #expect(start(F.budget(period: .total)) == Timestamp(nanosecondsSinceEpoch: .min))
        #expect(F.engine().restoreStart(at: now) == nil)
        let both = F.engine([F.budget("a", period: .daily), F.budget("b", period: .monthly, rollover: BudgetRollover(maxMoney: F.money("1")))])
        #expect(both.restoreStart(at: now) == F.at("2025-02-01T00:00:00Z"))
        #expect(both.restoreStart(at: now, onlyBudgets: [0]) == F.at("2025-03-10T00:00:00Z"))
    }

    @Test func restoreWithRolloverRebuildsThePreviousWindowsCarry() {
        var engine = F.engine([F.budget(limit: F.usd("500"), rollover: BudgetRollover(maxMoney: F.money("100")))])
        engine.restore([F.usage(cost: "450", at: F.at("2025-02-20T00:00:00Z")), F.usage(cost: "5", at: F.t0)], at: F.t0)
        #expect(engine.budgetSnapshots(at: F.t0).first?.units.first?.limit == F.money("550"))
        #expect(engine.budgetSnapshots(at: F.t0).first?.units.first?.used == F.money("5"))
    }
}
