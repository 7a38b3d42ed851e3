import PropertyBased
import Testing
@testable import WardenCore

/// Reservation accounting under random interleavings of checks, commits (actual ≤ estimate),
/// releases and expiries against one 100 USD budget with a deny step at 100%.
@Suite("RuleEngine reservation properties")
struct RuleEngineReservationPropertyTests {
    typealias F = EngineFixtures

    /// One step of an interleaving: an operation code, a cent amount (1 ¢ … 40 USD) and a
    /// percentage (which reservation to act on, how much of the estimate was used, or how many
    /// seconds pass: 0 … 200 s, against a 5-minute TTL).
    static let steps = zip(Gen.int(in: 0...3), Gen.int64(in: 1...4_000), Gen.int64(in: 0...100)).array(of: 1...150)

    struct Live {
        var id: String
        var estimate: Money
        var expiresAt: Timestamp
    }

    @Test func committedSpendNeverPassesTheLimitAndReservedAlwaysMatchesTheLiveHolds() async {
        await propertyCheck(count: 200, input: Self.steps) { steps in
            var engine = F.engine([F.budget()], ttl: 5 * F.minute)
            var now = F.t0
            var live: [Live] = []
            var committed = Money.zero
            let limit = F.money("100")
            for (number, (operation, cents, percent)) in steps.enumerated() {
                switch operation {
                case 0:
                    let estimate = Money(attos: Int128(cents) * Money.attosPerUnit / 100)
                    let id = "r\(number)"
                    let before = engine.instance().map { $0.used.money + $0.reserved.money } ?? .zero
                    let outcome = engine.check(F.request(cost: estimate.exactDecimal), reservationID: id, at: now)
                    // The deny step refuses exactly the estimates that would pass the limit.
                    #expect(outcome.decision.isAllowed == (before + estimate <= limit))
                    if outcome.decision.isAllowed {
                        live.append(Live(id: id, estimate: estimate, expiresAt: F.after(now, 5 * F.minute)))
                    }
                case 1 where !live.isEmpty:
                    let hold = live.remove(at: Int(percent) % live.count)
                    let actual = Money(attos: hold.estimate.attos * Int128(percent) / 100)
                    committed += actual
                    _ = engine.record([F.usage(cost: actual.exactDecimal, at: now, reservation: hold.id)], at: now)
                case 2 where !live.isEmpty:
                    let hold = live.remove(at: Int(percent) % live.count)
                    #expect(engine.release(hold.id, at: now) == true)
                case 3:
                    now = F.after(now, percent * 2 * F.second)
                    let rows = engine.tick(at: now)
                    let expired = live.filter { $0.expiresAt <= now }
                    live.removeAll { $0.expiresAt <= now }
                    #expect(rows.count == expired.count)
                    #expect(rows.allSatisfy { $0.action == AuditAction.reservationExpired })
                default:
                    break
                }
                let instance = engine.instance()
                let used = instance?.used.money ?? .zero
                let reserved = instance?.reserved.money ?? .zero
                #expect(used <= limit)
                #expect(used == committed)
                #expect(reserved >= .zero)
                #expect(reserved == live.reduce(Money.zero) { $0 + $1.estimate })
                #expect(engine.activeReservations == live.count)
            }
            for hold in live { #expect(engine.release(hold.id, at: now) == true) }
            #expect(engine.instance().map { $0.reserved == .zero } ?? true)
            #expect(engine.activeReservations == 0)
        }
    }
}
