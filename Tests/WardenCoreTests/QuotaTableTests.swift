import Testing
@testable import WardenCore

@Suite("Quota table")
struct QuotaTableTests {
    typealias F = QuotaFixtures
    let second = QuotaFixtures.second
    let t0 = QuotaFixtures.t0

    static func table(shadow: Bool = false, maximumKeys: Int = 100) -> QuotaTable {
        QuotaTable(policy: QuotaPolicy(name: "agent-requests", rate: F.rate(60, per: F.minute),
                                       unit: .requests, isShadow: shadow),
                   maximumKeys: maximumKeys)
    }

    let alice = QuotaKey("alice"), bob = QuotaKey("bob"), carol = QuotaKey("carol"), dave = QuotaKey("dave")

    @Test func eachScopeHasItsOwnBucket() {
        var table = Self.table()
        #expect(table.attempt(alice, cost: 60, at: F.at(t0)).verdict == .allowed)
        #expect(table.attempt(alice, cost: 1, at: F.at(t0)).verdict == .throttled)
        #expect(table.attempt(bob, cost: 60, at: F.at(t0)).verdict == .allowed)
        #expect(table.count == 2)
    }

    @Test func aScopeThatSpendsNothingTakesNoMemory() {
        var table = Self.table()
        _ = table.attempt(alice, cost: 0, at: F.at(t0))
        _ = table.attempt(bob, cost: 61, at: F.at(t0))  // exceeds capacity: nothing consumed
        table.charge(carol, cost: 0, at: F.at(t0))
        #expect(table.count == 0)
    }

    @Test func evictingIdleScopesKeepsBusyOnesAndChangesNoDecision() {
        var table = Self.table()
        _ = table.attempt(alice, cost: 10, at: F.at(t0))  // full again after 10 s
        _ = table.attempt(bob, cost: 60, at: F.at(t0))    // full again after 60 s
        var untouched = table
        #expect(table.evictIdle(at: F.at(t0 + 30 * second)) == 1)
        #expect(table.count == 1)
        for key in [alice, bob] {
            #expect(table.snapshot(key, at: F.at(t0 + 30 * second)) == untouched.snapshot(key, at: F.at(t0 + 30 * second)))
            #expect(table.attempt(key, cost: 45, at: F.at(t0 + 30 * second))
                    == untouched.attempt(key, cost: 45, at: F.at(t0 + 30 * second)))
        }
    }

    @Test func scopesBeyondTheKeyCapShareTheOverflowBucket() {
        var table = Self.table(maximumKeys: 2)
        _ = table.attempt(alice, cost: 1, at: F.at(t0))
        _ = table.attempt(bob, cost: 1, at: F.at(t0))
        let first = table.attempt(carol, cost: 60, at: F.at(t0))
        #expect(first.verdict == .allowed)
        #expect(first.isOverflow)
        let second = table.attempt(dave, cost: 1, at: F.at(t0))
        #expect(second.verdict == .throttled)
        #expect(second.isOverflow)
        #expect(table.count == 2)
        // Existing scopes keep their exact state.
        #expect(table.snapshot(alice, at: F.at(t0)).remaining == 59)
        #expect(!table.attempt(alice, cost: 1, at: F.at(t0)).isOverflow)
    }

    @Test func aFullTableSweepsIdleScopesToMakeRoom() {
        var table = Self.table(maximumKeys: 1)
        _ = table.attempt(alice, cost: 1, at: F.at(t0))
        let decision = table.attempt(bob, cost: 1, at: F.at(t0 + 2 * second))  // alice is idle again
        #expect(!decision.isOverflow)
        #expect(table.count == 1)
        #expect(table.snapshot(bob, at: F.at(t0 + 2 * second)).remaining == 59)
    }

    @Test func aFullTableSweepsAtMostOncePerSecond() {
        var table = Self.table(maximumKeys: 1)
        _ = table.attempt(alice, cost: 1, at: F.at(t0 - second / 2))  // idle again at t0 + 0.5 s
        #expect(table.attempt(bob, cost: 1, at: F.at(t0)).isOverflow)  // swept at t0: alice busy
        // Alice is idle now, but the last sweep was less than a second ago.
        #expect(table.attempt(carol, cost: 1, at: F.at(t0 + 3 * second / 4)).isOverflow)
        #expect(!table.attempt(dave, cost: 1, at: F.at(t0 + second)).isOverflow)
        // Evicting by hand is never rate-limited.
        #expect(table.evictIdle(at: F.at(t0 + 2 * second)) == 1)
    }

    @Test func chargingAnUnseenScopeCreatesItsBucketInDebt() {
        var table = Self.table()
        table.charge(alice, cost: 90, at: F.at(t0))
        let decision = table.attempt(alice, cost: 1, at: F.at(t0))
        #expect(decision.verdict == .throttled)
        #expect(decision.retryAfter == 31 * second)
    }

    @Test func settlingAReservationRefundsOrCharges() {
        var table = Self.table()
        let reserved = table.attempt(alice, cost: 40, at: F.at(t0)).reserved
        table.settle(alice, reserved: reserved, actual: 10, at: F.at(t0))
        #expect(table.snapshot(alice, at: F.at(t0)).remaining == 50)
        table.settle(alice, reserved: 0, actual: 25, at: F.at(t0))
        #expect(table.snapshot(alice, at: F.at(t0)).remaining == 25)
        table.refund(alice, cost: 35, at: F.at(t0))
        #expect(table.snapshot(alice, at: F.at(t0)).remaining == 60)
    }

    @Test func refundingAnEvictedScopeChangesNothing() {
        var table = Self.table()
        _ = table.attempt(alice, cost: 10, at: F.at(t0))
        table.evictIdle(at: F.at(t0 + 20 * second))
        table.refund(alice, cost: 10, at: F.at(t0 + 20 * second))
        #expect(table.count == 0)
        #expect(table.snapshot(alice, at: F.at(t0 + 20 * second)).remaining == 60)
    }

    // MARK: Shadow mode

    @Test func aShadowQuotaAdmitsEverythingAndSaysWhatItWouldHaveDone() {
        var table = Self.table(shadow: true)
        for _ in 0..<60 {
            let decision = table.attempt(alice, cost: 1, at: F.at(t0))
            #expect(decision.isAllowed && !decision.wouldThrottle && decision.isShadow)
        }
        let over = table.attempt(alice, cost: 1, at: F.at(t0))
        #expect(over.isAllowed)
        #expect(over.wouldThrottle)
        #expect(over.verdict == .throttled)
        #expect(over.retryAfter == second)
        #expect(over.reserved == 1)
    }

    @Test func aShadowQuotaMeasuresTheRealTrafficIncludingWhatItWouldHaveRefused() {
        var table = Self.table(shadow: true)
        for _ in 0..<90 { _ = table.attempt(alice, cost: 1, at: F.at(t0)) }
        #expect(table.snapshot(alice, at: F.at(t0)).resetAfter == 90 * second)
        // A request that could never fit is still admitted, and counted.
        let huge = table.attempt(bob, cost: 100, at: F.at(t0))
        #expect(huge.isAllowed && huge.wouldThrottle && huge.verdict == .exceedsCapacity)
        #expect(table.snapshot(bob, at: F.at(t0)).resetAfter == 100 * second)
    }

    @Test func aShadowReservationSettlesLikeAnEnforcedOne() {
        var table = Self.table(shadow: true)
        for _ in 0..<60 { _ = table.attempt(alice, cost: 1, at: F.at(t0)) }
        let over = table.attempt(alice, cost: 5, at: F.at(t0))
        table.settle(alice, reserved: over.reserved, actual: 0, at: F.at(t0))
        #expect(table.snapshot(alice, at: F.at(t0)).resetAfter == 60 * second)
    }

    @Test func anEnforcedQuotaIsNotShadow() {
        var table = Self.table()
        let decision = table.attempt(alice, cost: 61, at: F.at(t0))
        #expect(!decision.isAllowed && !decision.wouldThrottle && !decision.isShadow)
    }

    // MARK: Keys

    @Test func aKeyOfOneLabelIsItsValueAndSeveralAreSeparated() {
        #expect(QuotaKey(labelValues: ["u1"]) == QuotaKey("u1"))
        #expect(QuotaKey(labelValues: ["a", "b"]).value == "a\u{1F}b")
        #expect(QuotaKey(labelValues: ["a", "bc"]) != QuotaKey(labelValues: ["ab", "c"]))
        #expect(QuotaKey(labelValues: []) == QuotaKey(""))
    }
}
