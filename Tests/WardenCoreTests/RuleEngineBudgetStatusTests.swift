import Testing
@testable import WardenCore

/// What `GET /v1/budgets` reads: budget statuses with their limits broken down, filtered by labels
/// and paged in listing order.
@Suite("RuleEngine budget statuses")
struct RuleEngineBudgetStatusTests {
    typealias F = EngineFixtures

    static let both = BudgetLimit(money: .init(amount: F.money("100"), currency: "USD"), tokens: 1_000)

    static func statuses(_ engine: RuleEngine, _ query: BudgetStatusQuery = BudgetStatusQuery(), at now: Timestamp = F.t0) -> [BudgetStatus] {
        engine.budgetStatuses(query, at: now).statuses
    }

    @Test func aBudgetWithoutPerHasItsInstanceBeforeAnyUsage() {
        let engine = F.engine([F.budget("org", scope: F.scope([("org", .equals("acme"))]), thresholds: F.ladder)])
        let statuses = Self.statuses(engine)
        #expect(statuses.count == 1)
        #expect(statuses[0].budget == "org")
        #expect(statuses[0].scope == [AuditLabel(key: "org", value: "acme")])
        #expect(statuses[0].period == .init(start: F.at("2025-03-01T00:00:00Z"), end: F.endOfMarchUTC, timeZone: "UTC"))
        #expect(statuses[0].limits.map(\.used) == [.zero])
        #expect(statuses[0].limits.map(\.remaining) == [F.money("100")])
        #expect(statuses[0].step == nil)
    }

    @Test func eachLimitedUnitShowsItsExactFigures() {
        var engine = F.engine([F.budget("acme", limit: Self.both, thresholds: F.ladder)])
        engine.record(F.usage(cost: "50", input: 150, output: 50, at: F.t0))
        _ = engine.check(F.request(cost: "10", input: 100), reservationID: "r1", at: F.t0)
        let limits = Self.statuses(engine)[0].limits
        #expect(limits.map(\.unit) == ["USD", "tokens"])
        #expect(limits.map(\.base) == [F.money("100"), F.money("1000")])
        #expect(limits.map(\.rollover) == [.zero, .zero])
        #expect(limits.map(\.override) == [.zero, .zero])
        #expect(limits.map(\.effective) == [F.money("100"), F.money("1000")])
        #expect(limits.map(\.used) == [F.money("50"), F.money("200")])
        #expect(limits.map(\.reserved) == [F.money("10"), F.money("100")])
        #expect(limits.map(\.remaining) == [F.money("40"), F.money("700")])
        #expect(limits.map(\.usageRatio) == [F.money("0.5"), F.money("0.2")])
        #expect(Self.statuses(engine)[0].step == .notify)
    }

    @Test func whatRolledOverIsShownApartFromTheBase() {
        var engine = F.engine([F.budget(rollover: BudgetRollover(share: F.percent("50%")))])
        engine.record(F.usage(cost: "40", at: F.at("2025-02-20T12:00:00Z")))
        // The February window ended; the status shows March with half of the 60 left unspent.
        let status = Self.statuses(engine)[0]
        #expect(status.period.start == F.at("2025-03-01T00:00:00Z"))
        #expect(status.limits[0].base == F.money("100"))
        #expect(status.limits[0].rollover == F.money("30"))
        #expect(status.limits[0].effective == F.money("130"))
        #expect(status.limits[0].used == .zero)
    }

    @Test func remainingIsNeverNegative() {
        var engine = F.engine([F.budget(thresholds: F.ladder)])
        engine.record(F.usage(cost: "130", at: F.t0))
        let status = Self.statuses(engine)[0]
        #expect(status.limits[0].remaining == .zero)
        #expect(status.limits[0].usageRatio == F.money("1.3"))
        #expect(status.step == .deny)
    }

    @Test func aPerBudgetListsTheInstancesItTracksInLabelOrder() {
        var engine = F.engine([F.budget("teams", per: ["team"])])
        #expect(Self.statuses(engine).isEmpty)
        engine.record(F.usage(cost: "5", at: F.t0, attribution: F.attribution(["team": "web"])))
        engine.record(F.usage(cost: "7", at: F.t0, attribution: F.attribution(["team": "search"])))
        let statuses = Self.statuses(engine)
        #expect(statuses.map(\.scope) == [[AuditLabel(key: "team", value: "search")], [AuditLabel(key: "team", value: "web")]])
        #expect(statuses.map { $0.limits[0].used } == [F.money("7"), F.money("5")])
    }

    @Test func aLabelFilterKeepsTheInstancesCarryingThatLabel() {
        var engine = F.engine([F.budget("org", scope: F.scope([("org", .equals("acme"))])), F.budget("teams", per: ["team"])])
        engine.record(F.usage(cost: "5", at: F.t0, attribution: F.attribution(["org": "acme", "team": "web"])))
        engine.record(F.usage(cost: "7", at: F.t0, attribution: F.attribution(["org": "acme", "team": "search"])))
        let statuses = Self.statuses(engine, BudgetStatusQuery(labels: [AuditLabel(key: "team", value: "search")]))
        #expect(statuses.map(\.budget) == ["teams"])
        #expect(statuses.map { $0.limits[0].used } == [F.money("7")])
    }

    @Test func aBudgetNameSelectsThatBudgetAndAnUnknownOneIsReported() {
        let engine = F.engine([F.budget("a"), F.budget("b"), F.budget("teams", per: ["team"])])
        #expect(Self.statuses(engine, BudgetStatusQuery(budget: "b")).map(\.budget) == ["b"])
        #expect(engine.budgetStatuses(BudgetStatusQuery(budget: "teams"), at: F.t0).budgetExists)
        #expect(!engine.budgetStatuses(BudgetStatusQuery(budget: "nope"), at: F.t0).budgetExists)
    }

    @Test func pagesFollowEachOtherWithoutRepeatsOrGaps() {
        var engine = F.engine([F.budget("teams", per: ["team"]), F.budget("all")])
        for team in ["d", "b", "a", "c"] {
            engine.record(F.usage(cost: "1", at: F.t0, attribution: F.attribution(["team": team])))
        }
        var seen: [String] = []
        var query = BudgetStatusQuery(limit: 2)
        var pages = 0
        while true {
            let page = engine.budgetStatuses(query, at: F.t0)
            pages += 1
            seen += page.statuses.map { "\($0.budget):\($0.scope.first?.value ?? "")" }
            guard let next = page.next else { break }
            query.after = next
        }
        #expect(seen == ["all:", "teams:a", "teams:b", "teams:c", "teams:d"])
        #expect(pages == 3)
    }

    @Test func anInstanceCreatedBeforeTheCursorDoesNotShiftTheNextPage() {
        var engine = F.engine([F.budget("teams", per: ["team"])])
        for team in ["b", "c", "d"] {
            engine.record(F.usage(cost: "1", at: F.t0, attribution: F.attribution(["team": team])))
        }
        let first = engine.budgetStatuses(BudgetStatusQuery(limit: 2), at: F.t0)
        engine.record(F.usage(cost: "1", at: F.t0, attribution: F.attribution(["team": "a"])))
        let second = engine.budgetStatuses(BudgetStatusQuery(after: first.next, limit: 2), at: F.t0)
        #expect(second.statuses.map { $0.scope[0].value } == ["d"])
        #expect(second.next == nil)
    }

    @Test func rollingAndTotalBudgetsHaveOpenPeriods() {
        var engine = F.engine([F.budget("rolling", period: .rolling(F.duration("1h"))), F.budget("total", period: .total)])
        engine.record(F.usage(cost: "10", at: F.t0))
        let statuses = Self.statuses(engine)
        #expect(statuses.map(\.period.start) == [F.after(F.t0, -F.hour), nil])
        #expect(statuses.map(\.period.end) == [nil, nil])
        #expect(Self.statuses(engine, at: F.after(F.t0, 2 * F.hour))[0].limits[0].used == .zero)
    }

    @Test func thePeriodFollowsTheBudgetsTimeZone() throws {
        let berlin = try TimeZoneTestData.rules("Europe/Berlin")
        let engine = F.engine([F.budget(timeZone: berlin)])
        let period = Self.statuses(engine)[0].period
        #expect(period.timeZone == "Europe/Berlin")
        #expect(period.start == F.at("2025-02-28T23:00:00Z"))
        #expect(period.end == F.at("2025-03-31T22:00:00Z"))
    }

    @Test func withoutOverridesTheEffectiveLimitIsBasePlusRolloverAndNoOverrideIsShown() {
        var engine = F.engine([F.budget(limit: Self.both)])
        engine.record(F.usage(cost: "1", at: F.t0))
        let status = Self.statuses(engine)[0]
        #expect(status.override == nil)
        #expect(status.limits.allSatisfy { $0.override == .zero && $0.effective == $0.base + $0.rollover })
    }
}
