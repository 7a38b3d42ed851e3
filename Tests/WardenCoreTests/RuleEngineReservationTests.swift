import Testing
@testable import WardenCore

/// Projection and reservations against a 100 USD budget with a deny step at 100%: a check
/// compares used + reserved + estimate with the limit, and an allowed check holds its estimate
/// until it is committed, released or expires.
@Suite("RuleEngine reservations")
struct RuleEngineReservationTests {
    typealias F = EngineFixtures

    static func engine(used: String = "0", ttl: Int64 = 5 * F.minute) -> RuleEngine {
        var engine = F.engine([F.budget()], ttl: ttl)
        if used != "0" { engine.record(F.usage(cost: used, at: F.t0)) }
        return engine
    }

    @Test func anEstimatePushingUsedPastTheLimitIsDenied() {
        var engine = Self.engine(used: "40")
        let outcome = engine.check(F.request(cost: "60.01"), reservationID: "r1", at: F.t0)
        #expect(outcome.decision == .deny)
        #expect(outcome.reason("b")?.remaining == "60 USD")
        #expect(outcome.reason("b")?.usageRatio == F.money("1.0001"))
        #expect(engine.instance()?.reserved == .zero)
    }

    @Test func anEstimateExactlyReachingTheLimitIsAllowed() {
        var engine = Self.engine(used: "40")
        let outcome = engine.check(F.request(cost: "60"), reservationID: "r1", at: F.t0)
        #expect(outcome.decision == .allow)
        #expect(outcome.reason("b")?.usageRatio == F.money("1"))
        #expect(outcome.reservation?.id == "r1")
        #expect(outcome.reservation?.amount == F.money("60"))
        #expect(outcome.reservation?.expiresAt == F.after(F.t0, 5 * F.minute))
        #expect(engine.instance()?.reserved.money == F.money("60"))
    }

    @Test func reservationsCountTowardTheNextProjection() {
        var engine = Self.engine()
        #expect(engine.check(F.request(cost: "60"), reservationID: "r1", at: F.t0).decision == .allow)
        let second = engine.check(F.request(cost: "60"), reservationID: "r2", at: F.t0)
        #expect(second.decision == .deny)
        #expect(second.reason("b")?.remaining == "40 USD")
        #expect(engine.activeReservations == 1)
    }

    @Test func releasingAReservationFreesItsHoldOnce() {
        var engine = Self.engine()
        _ = engine.check(F.request(cost: "60"), reservationID: "r1", at: F.t0)
        #expect(engine.release("r1", at: F.t0) == true)
        #expect(engine.instance()?.reserved == .zero)
        #expect(engine.release("r1", at: F.t0) == false)
        #expect(engine.check(F.request(cost: "60"), reservationID: "r2", at: F.t0).decision == .allow)
    }

    @Test func recordingWithTheReservationReplacesTheHoldWithTheActualCost() {
        var engine = Self.engine()
        _ = engine.check(F.request(cost: "60"), reservationID: "r1", at: F.t0)
        engine.record(F.usage(cost: "30", at: F.after(F.t0, F.second), reservation: "r1"))
        #expect(engine.instance()?.used.money == F.money("30"))
        #expect(engine.instance()?.reserved == .zero)
        #expect(engine.activeReservations == 0)
        #expect(engine.release("r1", at: F.t0) == false)
        #expect(engine.check(F.request(cost: "70.01"), reservationID: "r2", at: F.t0).decision == .deny)
        #expect(engine.check(F.request(cost: "70"), reservationID: "r3", at: F.t0).decision == .allow)
    }

    @Test func usageWithoutACheckIsCountedAndTripsTheStep() {
        var engine = Self.engine()
        let rows = engine.record(F.usage(cost: "100", at: F.t0))
        #expect(rows.map(\.action) == [AuditAction.thresholdCrossedUp])
        #expect(engine.check(F.request(cost: "0"), reservationID: "r1", at: F.t0).decision == .deny)
    }

    @Test func anUnclaimedReservationExpiresAtItsTTLWithAnAuditRow() {
        var engine = Self.engine(ttl: F.minute)
        _ = engine.check(F.request(cost: "60", input: 10, output: 20), reservationID: "r1", at: F.t0)
        #expect(engine.tick(at: F.after(F.t0, F.minute - 1)).isEmpty)
        #expect(engine.activeReservations == 1)
        let rows = engine.tick(at: F.after(F.t0, F.minute))
        #expect(rows.count == 1)
        let row = rows.first
        #expect(row?.action == AuditAction.reservationExpired)
        #expect(row?.kind == .reservation)
        #expect(row?.observed == "60")
        #expect(row?.detail.text("id") == "r1")
        #expect(row?.detail["tokens"] == .integer(30))
        #expect(row?.scope.contains(AuditLabel(key: "team", value: "search")) == true)
        #expect(engine.activeReservations == 0)
        #expect(engine.counters.reservationsExpired == 1)
        #expect(engine.instance()?.reserved == .zero)
        // Its usage arriving afterwards is still counted, as usage without a check.
        engine.record(F.usage(cost: "50", at: F.after(F.t0, 2 * F.minute), reservation: "r1"))
        #expect(engine.instance()?.used.money == F.money("50"))
    }

    /// The server expires reservations a chunk per lock; chunk after chunk comes to what one
    /// tick does, in the same order.
    @Test func expiringInChunksEndsWhereOneTickEnds() {
        var chunked = Self.engine(), whole = Self.engine()
        for n in 0..<10 {
            let at = F.after(F.t0, Int64(n) * F.second)
            _ = chunked.check(F.request(cost: "1"), reservationID: "r\(n)", at: at)
            _ = whole.check(F.request(cost: "1"), reservationID: "r\(n)", at: at)
        }
        let later = F.after(F.t0, 10 * F.minute)
        var rows: [AuditEvent] = []
        var chunks = 0
        while true {
            let (expired, finished) = chunked.expireReservations(at: later, limit: 3)
            #expect(expired.count <= 3)
            rows += expired
            chunks += 1
            if finished { break }
        }
        rows += chunked.advancePeriods(at: later)
        let expected = whole.tick(at: later)
        #expect(chunks == 4)
        #expect(rows.map(\.detail) == expected.map(\.detail))
        #expect(chunked.activeReservations == 0)
        #expect(chunked.instance()?.reserved == .zero)
        #expect(chunked.counters.reservationsExpired == 10)
    }

    /// A reservation holds one of these per matching budget for as long as it lives.
    @Test func aBudgetHoldStaysTwelveBytes() {
        #expect(MemoryLayout<Reservation.BudgetHold>.stride == 12)
    }

    /// A budget in another currency than the request holds its tokens but not its money.
    @Test func aHoldInAnotherCurrencyKeepsOnlyTheTokens() {
        let hold = Reservation.BudgetHold(index: 3, slot: 7, holdsMoney: false)
        let estimate = UsageAmount(money: F.money("2.5"), tokens: 1200)
        #expect(hold.amount(of: estimate) == UsageAmount(money: .zero, tokens: 1200))
        #expect(Reservation.BudgetHold(index: 3, slot: 7, holdsMoney: true).amount(of: estimate) == estimate)
        #expect(hold.index == 3 && hold.slot == 7)
    }
}

/// The cap on live reservations: memory stays bounded when checks are never committed.
@Suite("RuleEngine reservation cap")
struct RuleEngineReservationCapTests {
    typealias F = EngineFixtures

    static func engine() -> RuleEngine {
        RuleEngine(rules: RuleSet(budgets: [F.budget()], quotas: [F.quota("q", 10, .requests)]),
                   configuration: .init(reservationTTL: 5 * F.minute, maximumReservations: 2))
    }

    @Test func aCheckPastTheCapReservesAndCountsNothingAndSaysWhenToRetry() {
        var engine = Self.engine()
        #expect(engine.check(F.request(cost: "10"), reservationID: "r1", at: F.t0).reservation != nil)
        #expect(engine.check(F.request(cost: "10"), reservationID: "r2", at: F.after(F.t0, F.minute)).reservation != nil)
        let decisionsBefore = engine.counters.decisions
        let full = engine.check(F.request(cost: "10"), reservationID: "r3", at: F.after(F.t0, 2 * F.minute))
        #expect(full.reservationsFull)
        #expect(full.reservation == nil)
        // r1 expires at t0 + 5m: three minutes from now.
        #expect(full.retryAfter == 3 * F.minute)
        #expect(engine.activeReservations == 2)
        #expect(engine.instance()?.reserved.money == F.money("20"))
        #expect(engine.counters.reservationsRefused == 1)
        #expect(engine.counters.decisions == decisionsBefore)
        // The quota unit the refused check took was given back: its bucket is exactly as if the
        // check had not been made.
        var without = Self.engine()
        _ = without.check(F.request(cost: "10"), reservationID: "r1", at: F.t0)
        _ = without.check(F.request(cost: "10"), reservationID: "r2", at: F.after(F.t0, F.minute))
        let now = F.after(F.t0, 2 * F.minute)
        #expect(engine.quotas[0].snapshot(QuotaKey("u1"), at: now) == without.quotas[0].snapshot(QuotaKey("u1"), at: now))
        // Room again once one is released.
        #expect(engine.release("r1", at: now) == true)
        let next = engine.check(F.request(cost: "10"), reservationID: "r4", at: now)
        #expect(!next.reservationsFull)
        #expect(next.reservation?.id == "r4")
    }

    @Test func checksThatReserveNothingAreAnsweredEvenWhenFull() {
        var engine = Self.engine()
        _ = engine.check(F.request(cost: "10"), reservationID: "r1", at: F.t0)
        _ = engine.check(F.request(cost: "10"), reservationID: "r2", at: F.t0)
        // A refusal holds nothing, so the cap does not apply to it.
        let denied = engine.check(F.request(cost: "500"), reservationID: "r3", at: F.t0)
        #expect(denied.decision == .deny)
        #expect(!denied.reservationsFull)
    }
}
