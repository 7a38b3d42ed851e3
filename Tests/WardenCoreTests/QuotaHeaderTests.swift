import Testing
@testable import WardenCore
import WardenFormats

@Suite("Quota RateLimit headers")
struct QuotaHeaderTests {
    typealias F = QuotaFixtures

    static let userTokens = QuotaPolicy(name: "user-tokens", rate: F.rate(200_000, per: F.minute, burst: 50_000),
                                        unit: .tokens)

    @Test func thePolicyItemNamesTheQuotaItsLimitAndWindowInSeconds() {
        #expect(RateLimitHeaders.policyItem(Self.userTokens) == #""user-tokens";q=200000;w=60"#)
    }

    @Test func aWindowOfFractionalSecondsIsRoundedUp() {
        let policy = QuotaPolicy(name: "p", rate: F.rate(10, per: 1_500_000_000), unit: .requests)
        #expect(RateLimitHeaders.policyItem(policy) == #""p";q=10;w=2"#)
    }

    @Test func theRateLimitItemCarriesRemainingAndSecondsToFull() {
        var limiter = GCRA(rate: Self.userTokens.rate)
        let decision = limiter.attempt(cost: 30_001, at: F.at(F.t0))  // 9.0003 s of the rate
        #expect(RateLimitHeaders.rateLimitItem(Self.userTokens, decision: decision)
                == #""user-tokens";r=219999;t=10"#)
        let snapshot = limiter.snapshot(at: F.at(F.t0 + 9 * F.second))
        #expect(RateLimitHeaders.rateLimitItem(Self.userTokens, snapshot: snapshot)
                == #""user-tokens";r=249999;t=1"#)
    }

    @Test func retryAfterIsWholeSecondsRoundedUp() {
        #expect(RateLimitHeaders.retryAfterSeconds(0) == 0)
        #expect(RateLimitHeaders.retryAfterSeconds(1) == 1)
        #expect(RateLimitHeaders.retryAfterSeconds(F.second) == 1)
        #expect(RateLimitHeaders.retryAfterSeconds(F.second + 1) == 2)
        #expect(RateLimitHeaders.retryAfterSeconds(.max) == 9_223_372_037)
        #expect(RateLimitHeaders.retryAfterSeconds(-5) == 0)
    }

    @Test func namesAreStructuredFieldStrings() {
        #expect(RateLimitHeaders.rateLimitItem(name: #"a"b\c é"#, remaining: 1, resetAfter: 0)
                == #""a\"b\\c ?";r=1;t=0"#)
    }

    @Test func negativeRemainingIsReportedAsZero() {
        #expect(RateLimitHeaders.rateLimitItem(name: "q", remaining: -3, resetAfter: 0) == #""q";r=0;t=0"#)
    }

    @Test func severalQuotasJoinIntoOneList() {
        #expect(RateLimitHeaders.join([#""a";q=1;w=1"#, #""b";q=2;w=60"#]) == #""a";q=1;w=1, "b";q=2;w=60"#)
    }
}
