import Testing
@testable import WardenCore
import WardenFormats

/// The check path keeps state by position (instance positions, rule positions in reservation holds)
/// and skips work when nothing can have changed; these pin the cases where that could differ
/// from looking everything up again: reloads that move rules, and window ends reached by a check.
@Suite("RuleEngine check path")
struct RuleEngineCheckPathTests {
    typealias F = EngineFixtures

    static let later = F.after(F.t0, F.minute)

    @Test func aReloadThatReordersBudgetsReleasesEachHoldFromItsOwnBudget() {
        var engine = F.engine([F.budget("a", limit: F.usd("100")), F.budget("b", limit: F.usd("200"))])
        _ = engine.check(F.request(cost: "40"), reservationID: "r1", at: F.t0)
        let reordered = RuleSet(budgets: [F.budget("b", limit: F.usd("200")), F.budget("c"), F.budget("a", limit: F.usd("100"))])
        var (reloaded, _, _) = engine.reloaded(with: reordered, at: Self.later)
        #expect(reloaded.instance(0)?.reserved.money == F.money("40"))
        #expect(reloaded.instance(2)?.reserved.money == F.money("40"))
        #expect(reloaded.release("r1", at: Self.later) == true)
        #expect(reloaded.instance(0)?.reserved == .zero)
        #expect(reloaded.instance(2)?.reserved == .zero)
    }

    @Test func aReloadThatRemovesAHeldBudgetStillReleasesTheOthers() {
        var engine = F.engine([F.budget("a"), F.budget("b")])
        _ = engine.check(F.request(cost: "40"), reservationID: "r1", at: F.t0)
        var (reloaded, _, _) = engine.reloaded(with: RuleSet(budgets: [F.budget("b")]), at: Self.later)
        #expect(reloaded.release("r1", at: Self.later) == true)
        #expect(reloaded.instance(0)?.reserved == .zero)
    }

    @Test func aReloadThatReordersQuotasSettlesEachHoldOnItsOwnQuota() {
        let requests = F.quota("requests", 10, .requests)
        let tokens = F.quota("tokens", 1_000, .tokens)
        var engine = F.engine(quotas: [requests, tokens])
        _ = engine.check(F.request(input: 300), reservationID: "r1", at: F.t0)
        var (reloaded, _, _) = engine.reloaded(with: RuleSet(quotas: [tokens, requests]), at: F.t0)
        #expect(reloaded.quotas[0].snapshot(QuotaKey("u1"), at: F.t0).remaining == 700)
        #expect(reloaded.quotas[1].snapshot(QuotaKey("u1"), at: F.t0).remaining == 9)
        #expect(reloaded.release("r1", at: F.t0) == true)
        #expect(reloaded.quotas[0].snapshot(QuotaKey("u1"), at: F.t0).remaining == 1_000)
        #expect(reloaded.quotas[1].snapshot(QuotaKey("u1"), at: F.t0).remaining == 10)
    }

    /// Berlin's 2025-03-30 has 23 hours: the day ends at 22:00Z, not 23:00Z.
    @Test func aCheckAtTheEndOfAShortBerlinDayStartsTheNextDayFromZero() throws {
        let berlin = try TimeZoneTestData.rules("Europe/Berlin")
        var engine = F.engine([F.budget("daily", period: .daily, timeZone: berlin, thresholds: F.ladder)])
        let dayEnd = F.at("2025-03-30T22:00:00Z")
        engine.record(F.usage(cost: "85", at: F.at("2025-03-30T10:00:00Z")))
        let before = engine.check(F.request(cost: "1"), reservationID: "r1", at: F.after(dayEnd, -1))
        #expect(before.decision == .warn)
        #expect(before.reason("daily")?.remaining == "15 USD")
        let after = engine.check(F.request(cost: "1"), reservationID: "r2", at: dayEnd)
        #expect(after.decision == .allow)
        // The first check's reservation is still held: reservations outlive a period end.
        #expect(after.reason("daily")?.remaining == "99 USD")
        #expect(after.audit.map(\.action) == [AuditAction.thresholdCrossedDown, AuditAction.thresholdCrossedDown])
        #expect(engine.instance()?.window?.identifier == "2025-03-31")
    }

    @Test func aCheckAfterRollingUsageLeavesTheWindowLowersTheStep() {
        var engine = F.engine([F.budget("rolling", period: .rolling(F.duration("1h")), thresholds: F.ladder)])
        engine.record(F.usage(cost: "85", at: F.t0))
        #expect(engine.check(F.request(cost: "1"), reservationID: "r1", at: F.after(F.t0, F.minute)).decision == .warn)
        #expect(engine.release("r1", at: F.after(F.t0, F.minute)) == true)
        let outcome = engine.check(F.request(cost: "1"), reservationID: "r2", at: F.after(F.t0, 2 * F.hour))
        #expect(outcome.decision == .allow)
        #expect(outcome.audit.map(\.action) == [AuditAction.thresholdCrossedDown, AuditAction.thresholdCrossedDown])
        #expect(outcome.reason("rolling")?.remaining == "100 USD")
    }

    @Test func aRatioNoPolicyReadsIsNotComputedButANamedOneIs() {
        let budgets = [F.budget("a"), F.budget("b")]
        let policy = F.policy("b-half", "budget_ratio(\"b\") >= 0.5", .warn, budgets: budgets.map(\.name))
        var engine = F.engine(budgets, policies: [policy])
        #expect(engine.policyReadsRatio == [false, true])
        engine.record(F.usage(cost: "60", at: F.t0))
        #expect(engine.check(F.request(cost: "1"), reservationID: "r1", at: F.t0).reason("b-half")?.decision == .warn)
    }

    @Test func rateLimitHeaderItemsAreRenderedFromTheQuotaStates() {
        var engine = F.engine(quotas: [F.quota("user-tokens", 1_000, .tokens)])
        let outcome = engine.check(F.request(input: 600), reservationID: "r1", at: F.t0)
        #expect(outcome.quotaStates.map(\.remaining) == [400])
        #expect(outcome.rateLimitPolicy == ["\"user-tokens\";q=1000;w=60"])
        #expect(outcome.rateLimit == ["\"user-tokens\";r=400;t=36"])
    }

    @Test func rateLimitFieldsAreTheItemsJoinedWithNamesQuotedAtLoad() {
        var engine = F.engine(quotas: [F.quota("user-tokens", 1_000, .tokens), F.quota(#"odd "name\"#, 5, .requests)])
        let outcome = engine.check(F.request(input: 600), reservationID: "r1", at: F.t0)
        #expect(outcome.rateLimitPolicyField == RateLimitHeaders.join(outcome.rateLimitPolicy))
        #expect(outcome.rateLimitField == RateLimitHeaders.join(outcome.rateLimit))
        #expect(outcome.rateLimitField == #""user-tokens";r=400;t=36, "odd \"name\\";r=4;t=12"#)
    }

    // MARK: cached plans (where an attribution lands)

    static func user(_ name: String) -> Attribution { F.attribution(["org": "acme", "team": "search", "user": name]) }

    @Test func aCachedPlanKeepsItsInstanceWhenLaterUsersOverflowToOther() {
        var engine = RuleEngine(rules: RuleSet(budgets: [F.budget("per-user", per: ["user"], limit: F.usd("100"))]),
                                configuration: .init(maximumInstances: 2))
        _ = engine.check(F.request(cost: "10", attribution: Self.user("u1")), reservationID: "r1", at: F.t0)
        _ = engine.check(F.request(cost: "20", attribution: Self.user("u2")), reservationID: "r2", at: F.t0)
        // A third user has no instance of its own any more: it shares `__other__`.
        let third = engine.check(F.request(cost: "30", attribution: Self.user("u3")), reservationID: "r3", at: F.t0)
        #expect(third.reasons.first?.scope == [AuditLabel(key: "user", value: "__other__")])
        // u1's plan, cached before the overflow, still points at u1's own instance.
        let again = engine.check(F.request(cost: "1", attribution: Self.user("u1")), reservationID: "r4", at: F.t0)
        #expect(again.reasons.first?.scope == [AuditLabel(key: "user", value: "u1")])
        #expect(again.reasons.first?.remaining == "90 USD")
        #expect(engine.budgets[0].instances["u1"]?.reserved.money == F.money("11"))
        #expect(engine.budgets[0].instances[BudgetTracker.otherKey]?.reserved.money == F.money("30"))
    }

    @Test func aCachedPlanStillMovesItsInstanceIntoTheNextPeriod() {
        var engine = F.engine([F.budget("daily", period: .daily, thresholds: F.ladder)])
        engine.record(F.usage(cost: "90", at: F.t0))
        #expect(engine.check(F.request(cost: "1"), reservationID: "r1", at: F.t0).decision == .warn)
        let released = engine.release("r1", at: F.t0)
        #expect(released)
        let nextDay = F.after(F.t0, 24 * F.hour)
        let outcome = engine.check(F.request(cost: "1"), reservationID: "r2", at: nextDay)
        #expect(outcome.decision == .allow)
        #expect(outcome.reason("daily")?.remaining == "100 USD")
        #expect(outcome.audit.map(\.action) == [AuditAction.thresholdCrossedDown, AuditAction.thresholdCrossedDown])
    }

    @Test func decisionsAreTheSameWhenThePlanCacheStartsOver() {
        let budgets = [F.budget("per-user", per: ["user"], limit: F.usd("100")), F.budget("org", limit: F.usd("100000"))]
        var cached = F.engine(budgets, quotas: [F.quota("user-requests", 2, .requests)])
        let users = (0..<(CheckPlan.cacheLimit + 10)).map { Self.user("u\($0)") }
        for (index, user) in users.enumerated() {
            _ = cached.check(F.request(cost: "60", attribution: user), reservationID: "a\(index)", at: F.t0)
        }
        #expect(cached.plans.count < users.count)
        // u0's plan was dropped when the cache started over: planned again, it lands on the same
        // instance and quota bucket, which already hold the first check.
        let second = cached.check(F.request(cost: "60", attribution: users[0]), reservationID: "b0", at: F.t0)
        #expect(second.decision == .deny)
        #expect(second.reason("per-user")?.remaining == "40 USD")
        #expect(cached.budgets[0].instances.count == users.count)
    }

    @Test func aCopiedEngineKeepsItsOwnStateAndPlans() {
        var original = F.engine([F.budget("per-user", per: ["user"], limit: F.usd("100"))])
        _ = original.check(F.request(cost: "10", attribution: Self.user("u1")), reservationID: "r1", at: F.t0)
        var copy = original
        _ = copy.check(F.request(cost: "20", attribution: Self.user("u1")), reservationID: "r2", at: F.t0)
        _ = copy.check(F.request(cost: "5", attribution: Self.user("u2")), reservationID: "r3", at: F.t0)
        #expect(original.budgets[0].instances["u1"]?.reserved.money == F.money("10"))
        #expect(original.budgets[0].instances.count == 1)
        #expect(copy.budgets[0].instances["u1"]?.reserved.money == F.money("30"))
        let next = original.check(F.request(cost: "1", attribution: Self.user("u2")), reservationID: "r4", at: F.t0)
        #expect(next.reasons.first?.remaining == "100 USD")
    }

    @Test func plainAllowsAreCountedWithTheDecisionsRulesMade() {
        var engine = F.engine([F.budget("b", thresholds: F.ladder)])
        _ = engine.check(F.request(cost: "10"), reservationID: "r1", at: F.t0)
        _ = engine.check(F.request(cost: "10"), reservationID: "r2", at: F.t0)
        _ = engine.check(F.request(cost: "70"), reservationID: "r3", at: F.t0)
        #expect(engine.counters.decisions == [
            EngineCounters.plainAllow: 2,
            .init(decision: .warn, kind: "budget", rule: "b"): 1,
        ])
    }

    @Test func equalAttributionsHashEqualAndValuesTellThemApart() {
        let one = F.attribution(["team": "a", "user": "b"])
        let same = F.attribution(["user": "b", "team": "a"])
        let swapped = F.attribution(["team": "b", "user": "a"])
        #expect(one == same && one.hashValue == same.hashValue)
        #expect(one != swapped)
        #expect(Set([one, same, swapped]).count == 2)
    }
}
