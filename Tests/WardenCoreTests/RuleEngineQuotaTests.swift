import Testing
@testable import WardenCore
import WardenFormats

/// Quotas in a check: attempted only for requests nothing refused, refused with throttle and
/// `Retry-After`, measured without enforcement in shadow mode, given back when the final
/// decision refuses, charged by usage without a check and settled by usage with one.
@Suite("RuleEngine quotas")
struct RuleEngineQuotaTests {
    typealias F = EngineFixtures

    /// 1,000 tokens a minute per user: one token is earned back every 60 ms.
    static let userTokens = F.quota("user-tokens", 1_000, .tokens)

    static func remaining(_ engine: RuleEngine, _ quota: Int = 0, user: String = "u1", at now: Timestamp = F.t0) -> Int64 {
        engine.quotas[quota].snapshot(QuotaKey(labelValues: [user]), at: now).remaining
    }

    @Test func anAllowedCheckTakesItsTokensAndReportsRateLimitItems() {
        var engine = F.engine(quotas: [Self.userTokens])
        let outcome = engine.check(F.request(input: 500, output: 100), reservationID: "r1", at: F.t0)
        #expect(outcome.decision == .allow)
        #expect(outcome.rateLimitPolicy == ["\"user-tokens\";q=1000;w=60"])
        #expect(outcome.rateLimit == ["\"user-tokens\";r=400;t=36"])
        #expect(outcome.reservation?.tokens == 600)
        #expect(Self.remaining(engine) == 400)
    }

    @Test func anExhaustedTokenQuotaThrottlesWithRetryAfter() {
        var engine = F.engine(quotas: [Self.userTokens])
        _ = engine.check(F.request(input: 600), reservationID: "r1", at: F.t0)
        let outcome = engine.check(F.request(input: 600), reservationID: "r2", at: F.t0)
        #expect(outcome.decision == .throttle)
        // 200 more tokens are needed: 200 × 60 ms.
        #expect(outcome.retryAfter == 12 * F.second)
        #expect(outcome.reason("user-tokens")?.kind == .quota)
        #expect(outcome.reason("user-tokens")?.decision == .throttle)
        #expect(outcome.reason("user-tokens")?.scope == [AuditLabel(key: "user", value: "u1")])
        #expect(outcome.rateLimit == ["\"user-tokens\";r=400;t=36"])
        #expect(outcome.reservation == nil)
        #expect(engine.counters.quotaThrottled["user-tokens"] == 1)
        #expect(engine.counters.decisions[.init(decision: .throttle, kind: "quota", rule: "user-tokens")] == 1)
        #expect(engine.check(F.request(input: 600), reservationID: "r3", at: F.after(F.t0, 12 * F.second)).decision == .allow)
    }

    @Test func aRequestLargerThanTheQuotaCanEverHoldIsDenied() {
        var engine = F.engine(quotas: [Self.userTokens])
        let outcome = engine.check(F.request(input: 1_001), reservationID: "r1", at: F.t0)
        #expect(outcome.decision == .deny)
        #expect(outcome.retryAfter == nil)
        #expect(outcome.audit.map(\.action) == [AuditAction.deny])
        #expect(outcome.audit.first?.kind == .quota)
    }

    @Test func eachUserHasItsOwnBucket() {
        var engine = F.engine(quotas: [Self.userTokens])
        _ = engine.check(F.request(input: 1_000), reservationID: "r1", at: F.t0)
        let other = F.attribution(["org": "acme", "user": "u2"])
        #expect(engine.check(F.request(input: 1_000, attribution: other), reservationID: "r2", at: F.t0).decision == .allow)
    }

    @Test func aShadowQuotaAllowsButCountsWhatItWouldHaveThrottled() {
        var engine = F.engine(quotas: [F.quota("agent-requests", 1, .requests, shadow: true, perLabels: ["agent"])])
        #expect(engine.check(F.request(), reservationID: "r1", at: F.t0).decision == .allow)
        let second = engine.check(F.request(), reservationID: "r2", at: F.t0)
        #expect(second.decision == .allow)
        #expect(second.reservation != nil)
        #expect(second.reason("agent-requests")?.decision == .allow)
        #expect(second.reason("agent-requests")?.message.hasPrefix("shadow quota would throttle") == true)
        #expect(engine.counters.quotaShadowThrottled["agent-requests"] == 1)
        #expect(engine.counters.quotaThrottled["agent-requests"] == nil)
    }

    @Test func aRequestAPolicyDeniesConsumesNoQuota() {
        var engine = F.engine(quotas: [F.quota("user-requests", 1, .requests)],
                              policies: [F.policy("no-o1", "model == \"o1\"", .deny)])
        let denied = engine.check(F.request(model: "o1"), reservationID: "r1", at: F.t0)
        #expect(denied.decision == .deny)
        #expect(denied.rateLimit.isEmpty)
        #expect(Self.remaining(engine) == 1)
        #expect(engine.check(F.request(), reservationID: "r2", at: F.t0).decision == .allow)
    }

    @Test func aRequestABudgetDeniesConsumesNoQuota() {
        var engine = F.engine([F.budget()], quotas: [Self.userTokens])
        #expect(engine.check(F.request(cost: "101", input: 100), reservationID: "r1", at: F.t0).decision == .deny)
        #expect(Self.remaining(engine) == 1_000)
    }

    @Test func aLaterQuotaRefusingGivesBackWhatEarlierQuotasTook() {
        var engine = F.engine(quotas: [F.quota("user-requests", 10, .requests), Self.userTokens])
        #expect(engine.check(F.request(input: 2_000), reservationID: "r1", at: F.t0).decision == .deny)
        #expect(Self.remaining(engine, 0) == 10)
        _ = engine.check(F.request(input: 900), reservationID: "r2", at: F.t0)
        #expect(engine.check(F.request(input: 900), reservationID: "r3", at: F.t0).decision == .throttle)
        #expect(Self.remaining(engine, 0) == 9)
    }

    @Test func usageWithoutACheckChargesTheQuota() {
        var engine = F.engine(quotas: [Self.userTokens])
        engine.record(F.usage(input: 500, output: 100, at: F.t0))
        #expect(Self.remaining(engine) == 400)
        #expect(engine.check(F.request(input: 600), reservationID: "r1", at: F.t0).decision == .throttle)
    }

    @Test func usageWithTheReservationSettlesTheQuotaToTheActualTokens() {
        var engine = F.engine(quotas: [Self.userTokens])
        _ = engine.check(F.request(input: 200, output: 600), reservationID: "r1", at: F.t0)
        #expect(Self.remaining(engine) == 200)
        engine.record(F.usage(input: 150, output: 50, at: F.t0, reservation: "r1"))
        #expect(Self.remaining(engine) == 800)
        #expect(engine.check(F.request(input: 800), reservationID: "r2", at: F.t0).decision == .allow)
    }

    @Test func usageAboveTheReservationChargesTheDifference() {
        var engine = F.engine(quotas: [Self.userTokens])
        _ = engine.check(F.request(input: 100), reservationID: "r1", at: F.t0)
        engine.record(F.usage(input: 700, at: F.t0, reservation: "r1"))
        #expect(Self.remaining(engine) == 300)
    }

    @Test func releasingAReservationGivesItsTokensBack() {
        var engine = F.engine(quotas: [Self.userTokens])
        _ = engine.check(F.request(input: 600), reservationID: "r1", at: F.t0)
        #expect(engine.release("r1", at: F.t0) == true)
        #expect(Self.remaining(engine) == 1_000)
    }

    @Test func anExpiredReservationGivesItsTokensBack() {
        var engine = F.engine(quotas: [F.quota("user-tokens-hourly", 1_000, .tokens, per: F.hour)], ttl: F.minute)
        _ = engine.check(F.request(input: 600), reservationID: "r1", at: F.t0)
        let later = F.after(F.t0, F.minute)
        // 60 s earn back 16 tokens; the expiry returns the other 584 at once.
        #expect(Self.remaining(engine, at: later) == 416)
        #expect(engine.tick(at: later).map(\.action) == [AuditAction.reservationExpired])
        #expect(Self.remaining(engine, at: later) == 1_000)
    }
}
