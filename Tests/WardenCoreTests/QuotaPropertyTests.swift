import PropertyBased
import Testing
@testable import WardenCore

/// Properties of ``GCRA`` over random rates and random sequences of (time advance, cost).
@Suite("Quota GCRA properties")
struct QuotaPropertyTests {
    typealias F = QuotaFixtures

    /// A rate: limit, window (1 µs … 2 min), burst.
    static let rates = zip(Gen.int64(in: 1...1_000), Gen.int64(in: 1_000...120_000_000_000), Gen.int64(in: 0...500))
        .map { F.rate($0, per: $1, burst: $2) }
    /// Steps: advance the clock by 0 … 3 s, then ask for 0 … 1,600 units.
    static let steps = zip(Gen.int64(in: 0...3_000_000_000), Gen.int64(in: 0...1_600)).array(of: 1...120)

    /// Runs `steps` as attempts from an idle bucket; returns the admitted (time, cost) pairs.
    static func admitted(_ rate: QuotaRate, _ steps: [(Int64, Int64)], into limiter: inout GCRA) -> [(Int64, Int64)] {
        var now = F.t0
        var result: [(Int64, Int64)] = []
        for (advance, cost) in steps {
            now += advance
            if limiter.attempt(cost: cost, at: F.at(now)).verdict == .allowed { result.append((now, cost)) }
        }
        return result
    }

    // (a)
    @Test func noIntervalAdmitsMoreThanCapacityPlusTheRateTimesItsLength() async {
        await propertyCheck(count: 300, input: Self.rates, Self.steps) { rate, steps in
            var limiter = GCRA(rate: rate)
            let log = Self.admitted(rate, steps, into: &limiter)
            // Sliding-window oracle over every interval [t_i, t_j] between admissions:
            // Σ cost ≤ capacity + limit × (t_j − t_i) / window, compared exactly in Int128.
            for i in log.indices {
                var sum: Int128 = 0
                for j in i..<log.count {
                    sum += Int128(log[j].1)
                    let bound = Int128(rate.capacity) * Int128(rate.window) + Int128(rate.limit) * Int128(log[j].0 - log[i].0)
                    #expect(sum * Int128(rate.window) <= bound)
                }
            }
        }
    }

    // (b)
    @Test func aSteadyStreamAtExactlyTheRateIsAlwaysAdmittedEvenFromAnEmptyBucket() async {
        let rates = zip(Gen.int64(in: 1...1_000_000), Gen.int64(in: 1...120_000_000_000), Gen.int64(in: 0...1_000))
        await propertyCheck(count: 300, input: rates, Gen.int64(in: 1...1_000_000)) { params, rawCost in
            let rate = F.rate(params.0, per: params.1, burst: params.2)
            let cost = 1 + rawCost % rate.capacity
            var limiter = GCRA(rate: rate)
            #expect(limiter.attempt(cost: rate.capacity, at: F.at(F.t0)).verdict == .allowed)  // drained
            // Request k of `cost` units arrives at the first nanosecond ≥ k × cost × window / limit.
            for k in Int128(1)...60 {
                let offset = (k * Int128(cost) * Int128(rate.window) + Int128(rate.limit) - 1) / Int128(rate.limit)
                #expect(limiter.attempt(cost: cost, at: F.at(F.t0 + Int64(offset))).verdict == .allowed)
            }
        }
    }

    // (c)
    @Test func aFixedWindowCounterDoublesAtAnEdgeButGCRADoesNot() {
        // The contrast, explicitly: 100 per minute, a client idle until just before an edge.
        let limit: Int64 = 100, edge = F.t0 - F.t0 % F.minute + F.minute
        var counter = FixedWindowCounter(limit: limit, window: F.minute)
        var limiter = GCRA(rate: F.rate(limit, per: F.minute))
        var counted: Int64 = 0, metered: Int64 = 0
        for time in [edge - 1, edge] {
            for _ in 0..<limit {
                if counter.attempt(at: time) { counted += 1 }
                if limiter.attempt(cost: 1, at: F.at(time)).verdict == .allowed { metered += 1 }
            }
        }
        #expect(counted == 2 * limit)  // within two nanoseconds
        #expect(metered == limit)
    }

    @Test func aroundAnyWindowEdgeAtMostCapacityPlusTheEarnedUnitsAreAdmitted() async {
        await propertyCheck(count: 300, input: Self.rates, Gen.int64(in: 1...2_000_000_000), Gen.int64(in: 0...1_000)) { rate, gap, edgeIndex in
            // Greedy client: spends all it may just before the edge and again `gap` ns later.
            let edge = F.t0 - F.t0 % rate.window + edgeIndex * rate.window
            var limiter = GCRA(rate: rate)
            var counter = FixedWindowCounter(limit: rate.limit, window: rate.window)
            var metered: Int128 = 0, counted: Int64 = 0
            for time in [edge - 1, edge - 1 + gap] {
                let remaining = limiter.snapshot(at: F.at(time)).remaining
                if limiter.attempt(cost: remaining, at: F.at(time)).verdict == .allowed { metered += Int128(remaining) }
                #expect(limiter.attempt(cost: 1, at: F.at(time)).verdict != .allowed)
                while counter.attempt(at: time) { counted += 1 }
            }
            #expect(metered * Int128(rate.window) <= Int128(rate.capacity) * Int128(rate.window) + Int128(rate.limit) * Int128(gap))
            if gap < rate.window { #expect(counted == 2 * rate.limit) }
        }
    }

    // (d)
    @Test func retryAfterIsExactToTheNanosecond() async {
        await propertyCheck(count: 300, input: Self.rates, Self.steps) { rate, steps in
            var limiter = GCRA(rate: rate)
            var now = F.t0
            for (advance, cost) in steps {
                now += advance
                var probe = limiter
                let decision = limiter.attempt(cost: cost, at: F.at(now))
                guard decision.verdict == .throttled else { continue }
                #expect(decision.retryAfter > 0)
                var early = probe
                #expect(early.attempt(cost: cost, at: F.at(now + decision.retryAfter - 1)).verdict == .throttled)
                #expect(probe.attempt(cost: cost, at: F.at(now + decision.retryAfter)).verdict == .allowed)
            }
        }
    }

    @Test func onlyCostsAboveCapacityAreReportedAsNeverAdmissible() async {
        await propertyCheck(count: 300, input: Self.rates, Self.steps) { rate, steps in
            var limiter = GCRA(rate: rate)
            var now = F.t0
            for (advance, cost) in steps {
                now += advance
                let decision = limiter.attempt(cost: cost, at: F.at(now))
                #expect((decision.verdict == .exceedsCapacity) == (cost > rate.capacity))
            }
        }
    }

    // (e)
    @Test func attemptThenRefundAtTheSameInstantChangesNoLaterDecision() async {
        await propertyCheck(count: 300, input: Self.rates, Self.steps, Gen.int64(in: 0...600)) { rate, steps, probeCost in
            var limiter = GCRA(rate: rate)
            _ = Self.admitted(rate, steps, into: &limiter)
            let now = F.t0 + steps.reduce(0) { $0 + $1.0 }
            let before = limiter
            let decision = limiter.attempt(cost: probeCost, at: F.at(now))
            guard decision.verdict == .allowed else { return }
            limiter.refund(cost: decision.reserved, at: F.at(now))
            for later in [now, now + 1, now + rate.window / 3, now + rate.window] {
                var a = limiter, b = before
                #expect(a.snapshot(at: F.at(later)) == b.snapshot(at: F.at(later)))
                #expect(a.attempt(cost: probeCost, at: F.at(later)) == b.attempt(cost: probeCost, at: F.at(later)))
            }
        }
    }

    @Test func reservingThenSettlingEqualsChargingTheActualUse() async {
        await propertyCheck(count: 300, input: Self.rates, Self.steps, Gen.int64(in: 0...600), Gen.int64(in: 0...2_000)) { rate, steps, reserve, actual in
            var limiter = GCRA(rate: rate)
            _ = Self.admitted(rate, steps, into: &limiter)
            let now = F.t0 + steps.reduce(0) { $0 + $1.0 }
            var charged = limiter
            guard limiter.attempt(cost: reserve, at: F.at(now)).verdict == .allowed else { return }
            limiter.settle(reserved: reserve, actual: actual, at: F.at(now))
            charged.charge(cost: actual, at: F.at(now))
            let later = now + rate.window / 2
            #expect(limiter.snapshot(at: F.at(later)) == charged.snapshot(at: F.at(later)))
        }
    }

    // (f)
    @Test func hugeCostsAndTimesNeverTrapAndReportSaneNumbers() async {
        let maximum = QuotaRate.maximumCapacity
        let rates = zip(Gen.int64(in: 1...maximum / 2), Gen.int64(in: 1...Int64.max), Gen.int64(in: 0...maximum / 2))
        let operations = zip(Gen.int(in: 0...3), Gen.int64(in: .min ... .max), Gen.int64(in: 0...Int64.max)).array(of: 1...60)
        await propertyCheck(count: 300, input: rates, operations) { params, operations in
            let rate = F.rate(params.0, per: params.1, burst: params.2)
            var limiter = GCRA(rate: rate)
            for (kind, time, cost) in operations {
                switch kind {
                case 0:
                    let decision = limiter.attempt(cost: cost, at: F.at(time))
                    #expect(decision.retryAfter >= 0 && decision.resetAfter >= 0)
                    #expect((0...rate.capacity).contains(decision.remaining))
                    #expect(decision.verdict != .throttled || decision.retryAfter > 0)
                case 1: limiter.charge(cost: cost, at: F.at(time))
                case 2: limiter.refund(cost: cost, at: F.at(time))
                default:
                    let snapshot = limiter.snapshot(at: F.at(time))
                    #expect((0...rate.capacity).contains(snapshot.remaining) && snapshot.resetAfter >= 0)
                }
            }
        }
    }
}

/// The naive limiter GCRA replaces: a counter reset at every multiple of the window.
struct FixedWindowCounter {
    let limit: Int64
    let window: Int64
    var windowStart = Int64.min
    var count: Int64 = 0

    mutating func attempt(at time: Int64) -> Bool {
        let start = time - ((time % window) + window) % window
        if start != windowStart { windowStart = start; count = 0 }
        guard count < limit else { return false }
        count += 1
        return true
    }
}
