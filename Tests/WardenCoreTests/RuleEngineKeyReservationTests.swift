import Testing
@testable import WardenCore

/// Reservations and API keys: a reservation records the key whose check made it, one key may
/// hold at most `maximumReservationsPerKey` of them, and only that key (or a caller without a
/// key name: an admin) may release it.
@Suite("RuleEngine reservations per key")
struct RuleEngineKeyReservationTests {
    typealias F = EngineFixtures

    static func engine(perKey: Int = 2, total: Int = .max) -> RuleEngine {
        RuleEngine(rules: RuleSet(budgets: [F.budget(limit: F.usd("1000000"))], quotas: [], policies: []),
                   configuration: .init(maximumReservations: total, maximumReservationsPerKey: perKey))
    }

    static func request(key: String?) -> CheckRequest {
        var request = F.request(cost: "1")
        request.keyName = key
        return request
    }

    @Test func aKeyPastItsShareIsRefusedWhileAnotherKeyStillReserves() {
        var engine = Self.engine(perKey: 2)
        #expect(engine.check(Self.request(key: "ci"), reservationID: "r1", at: F.t0).reservation != nil)
        #expect(engine.check(Self.request(key: "ci"), reservationID: "r2", at: F.t0).reservation != nil)
        let third = engine.check(Self.request(key: "ci"), reservationID: "r3", at: F.t0)
        #expect(third.reservationsFull)
        #expect(third.reservationsFullForKey)
        #expect(third.reservation == nil)
        #expect(engine.check(Self.request(key: "other"), reservationID: "r4", at: F.t0).reservation != nil)
        #expect(engine.activeReservations(forKey: "ci") == 2)
        #expect(engine.activeReservations == 3)
    }

    @Test func checksWithoutAKeyAreNotLimitedPerKey() {
        var engine = Self.engine(perKey: 1)
        for n in 1...5 {
            #expect(engine.check(Self.request(key: nil), reservationID: "r\(n)", at: F.t0).reservation != nil)
        }
    }

    @Test func theServerWideCapIsNotTheKeysCap() {
        var engine = Self.engine(perKey: 10, total: 1)
        _ = engine.check(Self.request(key: "ci"), reservationID: "r1", at: F.t0)
        let second = engine.check(Self.request(key: "other"), reservationID: "r2", at: F.t0)
        #expect(second.reservationsFull)
        #expect(!second.reservationsFullForKey)
    }

    @Test func committingReleasingAndExpiringGiveTheKeysShareBack() {
        var engine = Self.engine(perKey: 3)
        for n in 1...3 { _ = engine.check(Self.request(key: "ci"), reservationID: "r\(n)", at: F.t0) }
        engine.record(F.usage(cost: "1", at: F.after(F.t0, F.second), reservation: "r1"))
        #expect(engine.release("r2", byKey: "ci", at: F.t0) == .released)
        #expect(engine.activeReservations(forKey: "ci") == 1)
        _ = engine.takeExpiredReservations(at: F.after(F.t0, 10 * F.minute))
        #expect(engine.activeReservations(forKey: "ci") == 0)
        #expect(engine.check(Self.request(key: "ci"), reservationID: "r4", at: F.after(F.t0, 10 * F.minute)).reservation != nil)
    }

    @Test func aKeyReleasesOnlyItsOwnReservations() {
        var engine = Self.engine()
        _ = engine.check(Self.request(key: "ci"), reservationID: "r1", at: F.t0)
        _ = engine.check(Self.request(key: nil), reservationID: "r2", at: F.t0)
        #expect(engine.release("r1", byKey: "other", at: F.t0) == .madeByAnotherKey)
        #expect(engine.release("r2", byKey: "ci", at: F.t0) == .madeByAnotherKey)
        #expect(engine.activeReservations == 2)
        #expect(engine.release("r1", byKey: "ci", at: F.t0) == .released)
        #expect(engine.release("r1", byKey: "ci", at: F.t0) == .unknown)
        #expect(engine.release("r2", byKey: nil, at: F.t0) == .released)
    }

    @Test func savedReservationsKeepTheirKeyAndCountAgainstItAfterARestart() {
        var engine = Self.engine(perKey: 1)
        _ = engine.check(Self.request(key: "ci"), reservationID: "r1", at: F.t0)
        let saved = engine.savedReservations
        #expect(saved.map(\.keyName) == ["ci"])
        var restarted = Self.engine(perKey: 1)
        _ = restarted.restoreReservations(saved, at: F.t0)
        #expect(restarted.activeReservations(forKey: "ci") == 1)
        #expect(restarted.check(Self.request(key: "ci"), reservationID: "r2", at: F.t0).reservationsFullForKey)
        #expect(restarted.release("r1", byKey: "other", at: F.t0) == .madeByAnotherKey)
    }

    @Test func anExpiredReservationsAuditRowNamesItsKey() {
        var engine = Self.engine()
        _ = engine.check(Self.request(key: "ci"), reservationID: "r1", at: F.t0)
        let (expired, _) = engine.takeExpiredReservations(at: F.after(F.t0, 10 * F.minute))
        #expect(expired.auditEvents().first?.detail.text("key") == "ci")
    }
}
