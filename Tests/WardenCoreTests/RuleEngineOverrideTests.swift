import Testing
@testable import WardenCore

/// Overrides in the engine: the effective limit of one budget instance, exemptions, and what a
/// reload keeps.
@Suite("RuleEngine overrides")
struct RuleEngineOverrideTests {
    typealias F = EngineFixtures

    static let teams = F.budget("team-monthly", scope: F.scope([("org", .equals("acme"))]), per: ["team"], limit: F.usd("100"))
    static let search = [AuditLabel(key: "org", value: "acme"), AuditLabel(key: "team", value: "search")]
    static let ads = Attribution(["org": "acme", "team": "ads"])

    func override(_ change: String, instance: [AuditLabel] = search, id: String = "ovr_1") -> BudgetOverride {
        BudgetOverride(id: id, budget: "team-monthly", instance: instance, change: try! OverrideChange(parsing: change),
                       expiresAt: F.after(F.t0, 48 * F.hour))
    }

    /// An engine whose search team has spent its 100 USD.
    func spent() -> RuleEngine {
        var engine = F.engine([Self.teams])
        engine.record(F.usage(cost: "100", at: F.t0))
        return engine
    }

    @Test func aRaiseLetsTheDeniedInstanceSpendUpToTheNewLimitAndNoFurther() {
        var engine = spent()
        #expect(engine.check(F.request(cost: "1"), reservationID: "r0", at: F.t0).decision == .deny)
        let rows = engine.applyOverrides([override("+50.00 USD")], at: F.t0)
        #expect(rows.map(\.action) == [AuditAction.thresholdCrossedDown])
        #expect(rows.first?.detailCause == "override")
        let allowed = engine.check(F.request(cost: "49"), reservationID: "r1", at: F.t0)
        #expect(allowed.decision == .allow)
        #expect(allowed.reason("team-monthly")?.remaining == "50 USD")
        #expect(engine.check(F.request(cost: "2"), reservationID: "r2", at: F.t0).decision == .deny)
    }

    @Test func anOverrideChangesOnlyItsOwnInstance() {
        var engine = spent()
        engine.record(F.usage(cost: "100", at: F.t0, attribution: Self.ads))
        _ = engine.applyOverrides([override("+50.00 USD")], at: F.t0)
        #expect(engine.check(F.request(cost: "1"), reservationID: "r1", at: F.t0).decision == .allow)
        #expect(engine.check(F.request(cost: "1", attribution: Self.ads), reservationID: "r2", at: F.t0).decision == .deny)
    }

    @Test func takingTheOverrideAwayRestoresTheLimitAndAuditsTheCrossing() {
        var engine = spent()
        _ = engine.applyOverrides([override("+50.00 USD")], at: F.t0)
        let rows = engine.applyOverrides([], at: F.after(F.t0, F.minute))
        #expect(rows.map(\.action) == [AuditAction.thresholdCrossedUp])
        #expect(engine.check(F.request(cost: "1"), reservationID: "r1", at: F.after(F.t0, F.minute)).decision == .deny)
        #expect(engine.activeOverride(budget: "team-monthly", instance: Self.search) == nil)
    }

    @Test func setReplacesTheLimit() {
        var engine = spent()
        _ = engine.applyOverrides([override("300.00 USD")], at: F.t0)
        #expect(engine.check(F.request(cost: "200"), reservationID: "r1", at: F.t0).decision == .allow)
        #expect(engine.check(F.request(cost: "0.01"), reservationID: "r2", at: F.t0).decision == .deny)
    }

    @Test func anExemptionTurnsDenyAndThrottleIntoAWarningAndKeepsTheLimit() {
        var engine = F.engine([F.budget("team-monthly", scope: F.scope([("org", .equals("acme"))]), per: ["team"],
                                        limit: F.usd("100"), thresholds: F.ladder)])
        engine.record(F.usage(cost: "130", at: F.t0))
        #expect(engine.check(F.request(cost: "1"), reservationID: "r0", at: F.t0).decision == .deny)
        _ = engine.applyOverrides([override("exempt")], at: F.t0)
        let outcome = engine.check(F.request(cost: "1"), reservationID: "r1", at: F.t0)
        #expect(outcome.decision == .warn)
        #expect(outcome.reason("team-monthly")?.message.contains("exempt by override ovr_1") == true)
        let snapshot = engine.budgetSnapshots(at: F.t0).first
        #expect(snapshot?.units.first?.limit == F.money("100"))
        #expect(snapshot?.activeStep == .deny, "the step is still shown; it is not enforced")
    }

    @Test func theSnapshotShowsTheEffectiveLimitAndTheOverride() {
        var engine = F.engine([Self.teams])
        _ = engine.applyOverrides([override("+500.00 USD")], at: F.t0)
        let snapshots = engine.budgetSnapshots(at: F.t0)
        #expect(snapshots.count == 1, "the instance exists before any usage")
        #expect(snapshots.first?.labels == Self.search)
        #expect(snapshots.first?.units.first?.limit == F.money("600"))
        #expect(snapshots.first?.override?.id == "ovr_1")
        #expect(engine.activeOverride(budget: "team-monthly", instance: Array(Self.search.reversed()))?.id == "ovr_1")
    }

    @Test func aReloadKeepsTheOverrideWithoutAuditingACrossingAtTheOldLimit() {
        var engine = spent()
        _ = engine.applyOverrides([override("+50.00 USD")], at: F.t0)
        let (reloaded, _, rows) = engine.reloaded(with: RuleSet(budgets: [Self.teams]), at: F.after(F.t0, F.minute))
        #expect(rows.isEmpty)
        var next = reloaded
        #expect(next.check(F.request(cost: "10"), reservationID: "r1", at: F.after(F.t0, F.minute)).decision == .allow)
    }

    @Test func anOverrideForABudgetThatIsNotLoadedWaits() {
        var engine = spent()
        let stray = BudgetOverride(id: "ovr_9", budget: "gone", instance: [], change: .exempt, expiresAt: F.after(F.t0, F.hour))
        #expect(engine.applyOverrides([stray], at: F.t0).isEmpty)
        #expect(engine.activeOverrides == [stray])
        #expect(engine.check(F.request(cost: "1"), reservationID: "r1", at: F.t0).decision == .deny)
    }

    @Test func theTargetOfARequestIsCheckedAgainstTheRules() {
        let rules = RuleSet(budgets: [Self.teams])
        func problem(_ budget: String, _ given: [(key: String, value: String)], _ change: String) -> OverrideTerms.Problem? {
            if case .failure(let problem) = rules.overrideTarget(budget: budget, instance: given, change: try! OverrideChange(parsing: change)) {
                return problem
            }
            return nil
        }
        #expect(problem("team-monthly", [("team", "search")], "+5.00 USD") == nil)
        #expect(problem("nope", [("team", "search")], "+5.00 USD")?.field == "budget")
        #expect(problem("team-monthly", [("team", "search")], "+5 tokens")?.field == "change")
        #expect(problem("team-monthly", [("team", "search")], "+5.00 EUR")?.message.contains("USD") == true)
        #expect(problem("team-monthly", [], "+5.00 USD")?.field == "instance.team")
    }
}

/// The budget status API shows an active override: its change, the effective limit, and the
/// instance's step under it.
@Suite struct BudgetStatusOverrideTests {
    typealias F = EngineFixtures

    @Test func anActiveRaiseShowsInTheStatusOfItsInstanceOnly() throws {
        var engine = RuleEngineOverrideTests().spent()
        engine.record(F.usage(cost: "10", at: F.t0, attribution: RuleEngineOverrideTests.ads))
        _ = engine.applyOverrides([RuleEngineOverrideTests().override("+50.00 USD", id: "ovr_raise")], at: F.t0)
        let statuses = engine.budgetStatuses(BudgetStatusQuery(budget: "team-monthly"), at: F.t0).statuses
        let search = try #require(statuses.first { $0.scope == RuleEngineOverrideTests.search })
        let limit = try #require(search.limits.first)
        #expect(limit.base == F.money("100"))
        #expect(limit.override == F.money("50"))
        #expect(limit.effective == F.money("150"))
        #expect(limit.remaining == F.money("50"))
        #expect(search.override?.id == "ovr_raise")
        #expect(search.override?.change == "+50.00 USD")
        #expect(search.step == nil, "100 of 150 is below the deny step")
        let ads = try #require(statuses.first { $0.scope.contains(AuditLabel(key: "team", value: "ads")) })
        #expect(ads.override == nil)
        #expect(ads.limits.first?.effective == F.money("100"))
    }

    @Test func aSetLimitShowsAsTheDifferenceFromTheOwnLimit() throws {
        var engine = RuleEngineOverrideTests().spent()
        _ = engine.applyOverrides([RuleEngineOverrideTests().override("300.00 USD")], at: F.t0)
        let status = try #require(engine.budgetStatuses(BudgetStatusQuery(budget: "team-monthly"), at: F.t0).statuses.first)
        #expect(status.limits.first?.override == F.money("200"))
        #expect(status.limits.first?.effective == F.money("300"))
    }
}
