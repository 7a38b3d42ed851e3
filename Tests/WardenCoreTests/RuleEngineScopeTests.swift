import Testing
@testable import WardenCore

/// Which budgets a request meets (scope matchers), how `per:` splits a budget into instances,
/// and budgets limited in tokens or in money and tokens together.
@Suite("RuleEngine scopes and units")
struct RuleEngineScopeTests {
    typealias F = EngineFixtures

    static let search = F.attribution(["org": "acme", "team": "search", "user": "u1"])
    static let ads = F.attribution(["org": "acme", "team": "ads", "user": "u2"])

    @Test func perTeamGivesEachTeamItsOwnInstanceAndLabels() {
        var engine = F.engine([F.budget("team-daily", scope: F.scope([("org", .equals("acme"))]), per: ["team"],
                                        period: .daily, limit: F.usd("10"))])
        engine.record(F.usage(cost: "10", at: F.t0, attribution: Self.search))
        let searchOutcome = engine.check(F.request(cost: "1", attribution: Self.search), reservationID: "r1", at: F.t0)
        #expect(searchOutcome.decision == .deny)
        #expect(searchOutcome.reason("team-daily")?.scope == [AuditLabel(key: "org", value: "acme"), AuditLabel(key: "team", value: "search")])
        #expect(searchOutcome.audit.first?.scope == [AuditLabel(key: "org", value: "acme"), AuditLabel(key: "team", value: "search")])
        let adsOutcome = engine.check(F.request(cost: "1", attribution: Self.ads), reservationID: "r2", at: F.t0)
        #expect(adsOutcome.decision == .allow)
        #expect(adsOutcome.reason("team-daily")?.scope == [AuditLabel(key: "org", value: "acme"), AuditLabel(key: "team", value: "ads")])
        let snapshots = engine.budgetSnapshots(at: F.t0)
        #expect(snapshots.map(\.labels) == [
            [AuditLabel(key: "org", value: "acme"), AuditLabel(key: "team", value: "ads")],
            [AuditLabel(key: "org", value: "acme"), AuditLabel(key: "team", value: "search")],
        ])
        #expect(snapshots.map { $0.units[0].used } == [F.money("0"), F.money("10")])
    }

    @Test func perCrossingRowsCarryTheInstanceLabels() {
        var engine = F.engine([F.budget("team-daily", per: ["team", "user"], period: .daily, limit: F.usd("10"))])
        let rows = engine.record(F.usage(cost: "10", at: F.t0, attribution: Self.ads))
        #expect(rows.first?.scope == [AuditLabel(key: "team", value: "ads"), AuditLabel(key: "user", value: "u2")])
    }

    static func matches(_ condition: ScopeMatcher.Condition, _ labels: [String: String]) -> Bool {
        var engine = F.engine([F.budget(scope: F.scope([("team", condition)]))])
        return engine.check(F.request(cost: "1", attribution: F.attribution(labels)), reservationID: "r", at: F.t0).reason("b") != nil
    }

    @Test func anEqualsScopeMatchesOnlyThatValue() {
        #expect(Self.matches(.equals("search"), ["team": "search"]))
        #expect(!Self.matches(.equals("search"), ["team": "ads"]))
        #expect(!Self.matches(.equals("search"), ["org": "acme"]))
    }

    @Test func aStarScopeMatchesAnyValueButRequiresTheLabel() {
        #expect(Self.matches(.present, ["team": "search"]))
        #expect(Self.matches(.present, ["team": ""]))
        #expect(!Self.matches(.present, ["org": "acme"]))
    }

    @Test func aRegexScopeMatchesTheWholeValue() {
        #expect(Self.matches(F.regex("search-.*"), ["team": "search-eu"]))
        #expect(!Self.matches(F.regex("search-.*"), ["team": "xsearch-eu"]))
        #expect(!Self.matches(F.regex("search"), ["team": "search-eu"]))
    }

    @Test func anUnmatchedRequestMakesNoReservation() {
        var engine = F.engine([F.budget(scope: F.scope([("team", .equals("ads"))]))])
        let outcome = engine.check(F.request(cost: "1"), reservationID: "r1", at: F.t0)
        #expect(outcome.decision == .allow)
        #expect(outcome.reasons.isEmpty)
        #expect(outcome.reservation == nil)
    }

    @Test func aTokenLimitCountsInputAndOutputTokens() {
        var engine = F.engine([F.budget(limit: F.tokens(1_000))])
        engine.record(F.usage(cost: "5", input: 400, output: 200, at: F.t0))
        let exact = engine.check(F.request(cost: "50", input: 300, output: 100), reservationID: "r1", at: F.t0)
        #expect(exact.decision == .allow)
        #expect(exact.reason("b")?.usageRatio == F.money("1"))
        #expect(exact.reason("b")?.remaining == "400 tokens")
        #expect(exact.reservation?.tokens == 400)
        #expect(engine.instance()?.reserved == UsageAmount(tokens: 400))
        #expect(engine.release("r1", at: F.t0) == true)
        let over = engine.check(F.request(cost: "0", input: 301, output: 100), reservationID: "r2", at: F.t0)
        #expect(over.decision == .deny)
    }

    @Test func aBudgetWithMoneyAndTokensTripsOnEitherUnit() {
        var engine = F.engine([F.budget(limit: BudgetLimit(money: .init(amount: F.money("100"), currency: "USD"), tokens: 1_000))])
        let rows = engine.record(F.usage(cost: "10", input: 1_000, at: F.t0))
        #expect(rows.first?.observed == "10 1000")
        #expect(rows.first?.limit == "100 1000")
        #expect(rows.first?.detail.text("unit") == "USD+tokens")
        let outcome = engine.check(F.request(cost: "1"), reservationID: "r1", at: F.t0)
        #expect(outcome.decision == .deny)
        #expect(outcome.reason("b")?.usageRatio == F.money("1"))
        #expect(outcome.reason("b")?.remaining == "90 USD and 0 tokens")

        var moneyFirst = F.engine([F.budget(limit: BudgetLimit(money: .init(amount: F.money("100"), currency: "USD"), tokens: 1_000))])
        moneyFirst.record(F.usage(cost: "90", input: 10, at: F.t0))
        #expect(moneyFirst.check(F.request(cost: "10.5", input: 10), reservationID: "r1", at: F.t0).decision == .deny)
        #expect(moneyFirst.check(F.request(cost: "10", input: 990), reservationID: "r2", at: F.t0).decision == .allow)
    }

    @Test func moneyInAnotherCurrencyDoesNotCountAgainstAUSDLimit() {
        var engine = F.engine([F.budget()])
        _ = engine.record([F.usage(cost: "500", at: F.t0, currency: "EUR")], at: F.t0)
        #expect(engine.instance()?.used == .zero)
    }
}
