import Testing
@testable import WardenCore

/// Reservations kept across a graceful restart: the new process holds the same estimates on the
/// same budgets, so the deny-at-100% guarantee holds across the restart.
@Suite("RuleEngine saved reservations")
struct RuleEngineSavedReservationTests {
    typealias F = EngineFixtures

    static let rules = [F.budget("org"), F.budget("team", per: ["team"], limit: F.usd("80")),
                        F.budget("agent-tokens", per: ["agent"], limit: F.tokens(10_000)),
                        F.budget("eur", limit: try! BudgetLimit.parseTerm("50.00 EUR"))]

    static func fresh() -> RuleEngine { F.engine(rules, quotas: [F.quota("q", 100, .requests)]) }

    @Test func aRestoredEngineHoldsWhatTheSavedOneHeld() {
        var before = Self.fresh()
        #expect(before.check(F.request(cost: "30", input: 1000, output: 500), reservationID: "r1", at: F.t0).decision == .allow)
        let other = F.attribution(["org": "acme", "team": "ads", "agent": "a2"])
        #expect(before.check(F.request(cost: "20", input: 10, attribution: other), reservationID: "r2", at: F.t0).decision == .allow)
        let saved = before.savedReservations
        #expect(saved.map(\.id) == ["r1", "r2"])
        #expect(saved[0].money == F.money("30") && saved[0].tokens == 1500 && saved[0].currency == "USD")

        var after = Self.fresh()
        let (restored, _) = after.restoreReservations(saved, at: F.after(F.t0, F.second))
        #expect(restored == 2)
        #expect(after.activeReservations == 2)
        for index in after.budgets.indices {
            for (key, instance) in before.budgets[index].instances.entries {
                #expect(after.budgets[index].instances[key]?.reserved == instance.reserved, "budget \(index) instance \(key)")
            }
        }
        // The EUR budget held no money for USD estimates, before and after.
        #expect(after.instance(3)?.reserved.money == .zero)
        #expect(after.savedReservations == saved)
    }

    @Test func theLimitHoldsAcrossTheRestart() {
        var before = Self.fresh()
        #expect(before.check(F.request(cost: "70"), reservationID: "r1", at: F.t0).decision == .allow)
        var after = Self.fresh()
        _ = after.restoreReservations(before.savedReservations, at: F.t0)
        // 70 held + 31 would pass the org's 100 USD: denied, as it was before the restart.
        #expect(after.check(F.request(cost: "31"), reservationID: "r2", at: F.t0).decision == .deny)
        #expect(after.check(F.request(cost: "10"), reservationID: "r3", at: F.t0).decision == .allow)
    }

    @Test func restoredReservationsCommitReleaseAndExpireLikeAnyOther() {
        var before = Self.fresh()
        for id in ["r1", "r2", "r3"] { _ = before.check(F.request(cost: "10"), reservationID: id, at: F.t0) }
        var after = Self.fresh()
        _ = after.restoreReservations(before.savedReservations, at: F.t0)
        after.record(F.usage(cost: "4", at: F.after(F.t0, F.second), reservation: "r1"))
        #expect(after.release("r2", at: F.t0) == true)
        #expect(after.instance()?.used.money == F.money("4"))
        #expect(after.instance()?.reserved.money == F.money("10"))
        let expired = after.tick(at: F.after(F.t0, 5 * F.minute))
        #expect(expired.contains { $0.action == AuditAction.reservationExpired })
        #expect(after.activeReservations == 0)
        #expect(after.instance()?.reserved == .zero)
    }

    @Test func expiredAndAlreadyLiveReservationsAreSkipped() {
        var before = Self.fresh()
        _ = before.check(F.request(cost: "10"), reservationID: "r1", at: F.t0)
        _ = before.check(F.request(cost: "10"), reservationID: "r2", at: F.after(F.t0, 2 * F.minute))
        let saved = before.savedReservations
        var after = Self.fresh()
        // r1 expires at t0+5m, r2 at t0+7m.
        let (restored, _) = after.restoreReservations(saved, at: F.after(F.t0, 5 * F.minute))
        #expect(restored == 1)
        #expect(after.savedReservations.map(\.id) == ["r2"])
        #expect(after.restoreReservations(saved, at: F.after(F.t0, 5 * F.minute)).restored == 0)
        #expect(after.instance()?.reserved.money == F.money("10"))
    }

    @Test func pastALoweredCapTheNewestAreRestored() {
        var before = Self.fresh()
        for (offset, id) in ["r1", "r2", "r3"].enumerated() {
            _ = before.check(F.request(cost: "1"), reservationID: id, at: F.after(F.t0, Int64(offset) * F.second))
        }
        var after = RuleEngine(rules: RuleSet(budgets: Self.rules), configuration: .init(maximumReservations: 2))
        #expect(after.restoreReservations(before.savedReservations, at: F.after(F.t0, 3 * F.second)).restored == 2)
        #expect(after.savedReservations.map(\.id) == ["r2", "r3"])
    }
}
