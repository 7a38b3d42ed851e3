import Testing
@testable import WardenCore

/// The check path keeps state by position (dictionary slots, rule positions in reservation holds)
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
}
