import Testing
@testable import WardenCore

@Suite("Quota GCRA")
struct QuotaGCRATests {
    typealias F = QuotaFixtures
    let second = QuotaFixtures.second
    let t0 = QuotaFixtures.t0

    // MARK: Rates

    @Test func aRateNeedsAPositiveLimitAndWindowAndNoNegativeBurst() {
        #expect(throws: QuotaRateError.self) { try QuotaRate(limit: 0, window: 1) }
        #expect(throws: QuotaRateError.self) { try QuotaRate(limit: 1, window: 0) }
        #expect(throws: QuotaRateError.self) { try QuotaRate(limit: 1, window: 1, burst: -1) }
        #expect(throws: QuotaRateError.self) { try QuotaRate(limit: QuotaRate.maximumCapacity, window: 1, burst: 1) }
        #expect((try? QuotaRate(limit: QuotaRate.maximumCapacity - 5, window: .max, burst: 5)) != nil)
    }

    @Test func priorityCeilingsMustBeOrderedPercentages() {
        #expect(throws: QuotaRateError.self) { try QuotaPriorityCeilings(lowPercent: 0, normalPercent: 50) }
        #expect(throws: QuotaRateError.self) { try QuotaPriorityCeilings(lowPercent: 50, normalPercent: 101) }
        #expect(throws: QuotaRateError.self) { try QuotaPriorityCeilings(lowPercent: 80, normalPercent: 50) }
        do {
            _ = try QuotaPriorityCeilings(lowPercent: 80, normalPercent: 50)
        } catch {
            #expect(error.description == "the low priority ceiling (80%) must not exceed the normal one (50%)")
        }
    }

    @Test func capacityIsLimitPlusBurst() {
        #expect(F.rate(200_000, per: F.minute, burst: 50_000).capacity == 250_000)
        #expect(F.rate(60, per: F.minute).capacity == 60)
    }

    // MARK: Attempts

    @Test func anIdleScopeMaySpendItsWholeCapacityAtOnce() {
        var limiter = F.sixtyPerMinute
        for _ in 0..<60 { #expect(limiter.attempt(cost: 1, at: F.at(t0)).verdict == .allowed) }
        let refused = limiter.attempt(cost: 1, at: F.at(t0))
        #expect(refused.verdict == .throttled)
        #expect(refused.retryAfter == second)  // one emission interval
        #expect(!refused.isAllowed)
    }

    @Test func anAdmittedAttemptReportsRemainingAndResetAndReservation() {
        var limiter = F.sixtyPerMinute
        let decision = limiter.attempt(cost: 15, at: F.at(t0))
        #expect(decision == QuotaDecision(verdict: .allowed, reserved: 15, retryAfter: 0,
                                          remaining: 45, resetAfter: 15 * second))
    }

    @Test func aThrottledAttemptChangesNothing() {
        var limiter = F.sixtyPerMinute
        _ = limiter.attempt(cost: 50, at: F.at(t0))
        let before = limiter
        let refused = limiter.attempt(cost: 20, at: F.at(t0))
        #expect(refused.verdict == .throttled)
        #expect(refused.reserved == 0)
        #expect(refused.remaining == 10)
        #expect(refused.resetAfter == 50 * second)
        #expect(refused.retryAfter == 10 * second)
        #expect(limiter == before)
    }

    @Test func tokenQuotaWithBurstAdmitsLimitPlusBurstThenWaitsAtTheRate() {
        // 200,000 tokens/min: 300 µs per token; a 50,000-token request is 15 s of the rate.
        var limiter = GCRA(rate: F.rate(200_000, per: F.minute, burst: 50_000))
        #expect(limiter.attempt(cost: 250_000, at: F.at(t0)).verdict == .allowed)
        let refused = limiter.attempt(cost: 50_000, at: F.at(t0))
        #expect(refused.verdict == .throttled)
        #expect(refused.retryAfter == 15 * second)
        #expect(limiter.attempt(cost: 50_000, at: F.at(t0 + 15 * second - 1)).verdict == .throttled)
        #expect(limiter.attempt(cost: 50_000, at: F.at(t0 + 15 * second)).verdict == .allowed)
    }

    @Test func anEmissionIntervalThatIsNotWholeNanosecondsIsKeptExact() {
        // 7 per minute: T = 8,571,428,571.43 ns. Rounding T down would admit early; up, late.
        var limiter = GCRA(rate: F.rate(7, per: F.minute))
        for _ in 0..<7 { _ = limiter.attempt(cost: 1, at: F.at(t0)) }
        #expect(limiter.attempt(cost: 1, at: F.at(t0)).retryAfter == 8_571_428_572)
        // After 7 intervals (exactly 60 s) the 7 earned units are all there, not 6.
        var later = limiter
        #expect(later.attempt(cost: 7, at: F.at(t0 + F.minute)).verdict == .allowed)
        #expect(limiter.attempt(cost: 7, at: F.at(t0 + F.minute - 1)).verdict == .throttled)
    }

    @Test func aCostAboveCapacityIsReportedAsNeverAdmissible() {
        var limiter = F.sixtyPerMinute
        let decision = limiter.attempt(cost: 61, at: F.at(t0))
        #expect(decision.verdict == .exceedsCapacity)
        #expect(decision.retryAfter == 0)
        #expect(decision.reserved == 0)
        #expect(decision.remaining == 60)
        #expect(limiter.isIdle(at: F.at(t0)))
    }

    @Test func negativeCostsCountAsZero() {
        var limiter = F.sixtyPerMinute
        #expect(limiter.attempt(cost: -5, at: F.at(t0)).reserved == 0)
        limiter.charge(cost: -5, at: F.at(t0))
        #expect(limiter.snapshot(at: F.at(t0)).remaining == 60)
    }

    // MARK: Charges, refunds, settling

    @Test func aChargeWithoutCheckMayGoIntoDebt() {
        var limiter = F.sixtyPerMinute
        limiter.charge(cost: 120, at: F.at(t0))
        #expect(limiter.snapshot(at: F.at(t0)) == QuotaSnapshot(remaining: 0, resetAfter: 120 * second))
        #expect(limiter.attempt(cost: 1, at: F.at(t0)).retryAfter == 61 * second)
        // Even a zero-cost request waits until the debt is below capacity.
        #expect(limiter.attempt(cost: 0, at: F.at(t0)).retryAfter == 60 * second)
        #expect(limiter.attempt(cost: 0, at: F.at(t0 + 60 * second)).verdict == .allowed)
    }

    @Test func aRefundGivesBackOutstandingUse() {
        var limiter = F.sixtyPerMinute
        _ = limiter.attempt(cost: 60, at: F.at(t0))
        limiter.refund(cost: 30, at: F.at(t0))
        #expect(limiter.snapshot(at: F.at(t0)).remaining == 30)
    }

    @Test func aRefundNeverFillsTheBucketBeyondCapacity() {
        var limiter = F.sixtyPerMinute
        _ = limiter.attempt(cost: 10, at: F.at(t0))
        // 10 s later the bucket is full again: the reservation has been earned back already.
        limiter.refund(cost: 10, at: F.at(t0 + 10 * second))
        #expect(limiter.attempt(cost: 60, at: F.at(t0 + 10 * second)).verdict == .allowed)
        #expect(limiter.attempt(cost: 1, at: F.at(t0 + 10 * second)).verdict == .throttled)
    }

    @Test func aRefundLargerThanTheOutstandingUseStopsAtFull() {
        var limiter = F.sixtyPerMinute
        _ = limiter.attempt(cost: 20, at: F.at(t0))
        limiter.refund(cost: 1_000, at: F.at(t0 + 5 * second))
        #expect(limiter.snapshot(at: F.at(t0 + 5 * second)) == QuotaSnapshot(remaining: 60, resetAfter: 0))
        #expect(limiter.isIdle(at: F.at(t0 + 5 * second)))
    }

    @Test func settlingRefundsTheExcessOfAReservation() {
        var limiter = F.sixtyPerMinute
        let reserved = limiter.attempt(cost: 50, at: F.at(t0)).reserved
        limiter.settle(reserved: reserved, actual: 20, at: F.at(t0))
        #expect(limiter.snapshot(at: F.at(t0)).remaining == 40)
    }

    @Test func settlingChargesTheShortfallOfAReservation() {
        var limiter = F.sixtyPerMinute
        _ = limiter.attempt(cost: 10, at: F.at(t0))
        limiter.settle(reserved: 10, actual: 70, at: F.at(t0))
        #expect(limiter.snapshot(at: F.at(t0)).resetAfter == 70 * second)
    }

    @Test func releasingAReservationRefundsAllOfIt() {
        var limiter = F.sixtyPerMinute
        _ = limiter.attempt(cost: 60, at: F.at(t0))
        limiter.settle(reserved: 60, actual: 0, at: F.at(t0))
        #expect(limiter.isIdle(at: F.at(t0)))
    }

    // MARK: Snapshots and time

    @Test func aSnapshotReportsEarnedBackUnits() {
        var limiter = F.sixtyPerMinute
        #expect(limiter.snapshot(at: F.at(t0)) == QuotaSnapshot(remaining: 60, resetAfter: 0))
        _ = limiter.attempt(cost: 30, at: F.at(t0))
        #expect(limiter.snapshot(at: F.at(t0 + 10 * second)) == QuotaSnapshot(remaining: 40, resetAfter: 20 * second))
        // Partly earned units do not count: 10.5 s earns 10.
        #expect(limiter.snapshot(at: F.at(t0 + 10 * second + second / 2)).remaining == 40)
    }

    @Test func timeGoingBackwardsNeverAddsCapacity() {
        var limiter = F.sixtyPerMinute
        _ = limiter.attempt(cost: 60, at: F.at(t0))
        #expect(limiter.attempt(cost: 1, at: F.at(t0 - 10 * second)).retryAfter == 11 * second)
        #expect(limiter.snapshot(at: F.at(t0 - 10 * second)).remaining == 0)
    }

    // MARK: Priority classes

    static let shared = QuotaFixtures.rate(100, per: 100 * QuotaFixtures.second,
                                           ceilings: try! QuotaPriorityCeilings(lowPercent: 50, normalPercent: 80))

    @Test func lowerClassesStopAtTheirCeilingOfTheSharedBucket() {
        var limiter = GCRA(rate: Self.shared)
        #expect(limiter.attempt(cost: 60, priority: .high, at: F.at(t0)).verdict == .allowed)
        var low = limiter, normal = limiter, high = limiter
        #expect(low.attempt(cost: 1, priority: .low, at: F.at(t0)).verdict == .throttled)
        #expect(normal.attempt(cost: 21, priority: .normal, at: F.at(t0)).verdict == .throttled)
        #expect(normal.attempt(cost: 20, priority: .normal, at: F.at(t0)).verdict == .allowed)
        #expect(high.attempt(cost: 41, priority: .high, at: F.at(t0)).verdict == .throttled)
        #expect(high.attempt(cost: 40, priority: .high, at: F.at(t0)).verdict == .allowed)
    }

    @Test func aLowerClassWaitsUntilTheBucketDrainsBelowItsCeiling() {
        var limiter = GCRA(rate: Self.shared)
        _ = limiter.attempt(cost: 60, priority: .high, at: F.at(t0))
        // Low may fill to 50: one unit fits once 11 units have been earned back (1 s each).
        #expect(limiter.attempt(cost: 1, priority: .low, at: F.at(t0)).retryAfter == 11 * second)
        #expect(limiter.snapshot(priority: .low, at: F.at(t0)).remaining == 0)
        #expect(limiter.snapshot(priority: .normal, at: F.at(t0)).remaining == 20)
        #expect(limiter.snapshot(priority: .high, at: F.at(t0)).remaining == 40)
    }

    @Test func aCostAboveAClassDepthExceedsThatClassOnly() {
        var limiter = GCRA(rate: Self.shared)
        #expect(limiter.attempt(cost: 51, priority: .low, at: F.at(t0)).verdict == .exceedsCapacity)
        #expect(limiter.attempt(cost: 51, priority: .normal, at: F.at(t0)).verdict == .allowed)
    }

    @Test func withoutCeilingsPriorityHasNoEffect() {
        for priority in QuotaPriority.allCases {
            var limiter = F.sixtyPerMinute
            #expect(limiter.attempt(cost: 60, priority: priority, at: F.at(t0)).verdict == .allowed)
        }
    }

    // MARK: Extremes

    @Test func extremeRatesCostsAndTimesNeitherTrapNorWrap() {
        let rates = [F.rate(QuotaRate.maximumCapacity, per: .max), F.rate(1, per: .max),
                     F.rate(QuotaRate.maximumCapacity - 1, per: 1, burst: 1), F.rate(1, per: 1)]
        for rate in rates {
            for time in [Int64.min, -1, 0, t0, .max] {
                var limiter = GCRA(rate: rate)
                for _ in 0..<4 { limiter.charge(cost: .max, at: F.at(time)) }
                let decision = limiter.attempt(cost: 1, at: F.at(time))
                #expect(decision.verdict == .throttled)
                #expect(decision.retryAfter > 0)
                #expect(decision.resetAfter > 0)
                #expect(decision.remaining == 0)
                limiter.refund(cost: .max, at: F.at(time))
                _ = limiter.attempt(cost: .max, at: F.at(time))
                _ = limiter.snapshot(at: F.at(.max))
                _ = limiter.snapshot(at: F.at(.min))
            }
        }
    }

    @Test func debtSaturatesInsteadOfOverflowing() {
        var limiter = GCRA(rate: F.rate(1, per: .max))
        for _ in 0..<10 { limiter.charge(cost: .max, at: F.at(.max)) }
        #expect(limiter.snapshot(at: F.at(.min)).resetAfter == .max)
        #expect(limiter.attempt(cost: 0, at: F.at(.max)).retryAfter == .max)
    }
}
