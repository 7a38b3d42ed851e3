import PropertyBased
import Testing
@testable import WardenCore

/// The queue must expire exactly what a scan of every live reservation would: those with
/// `expiresAt <= now`, in (expiry, id) order, whatever was settled early or however the clock moved.
@Suite struct ExpiryQueueTests {
    static func time(_ seconds: Int64) -> Timestamp { Timestamp(nanosecondsSinceEpoch: seconds * 1_000_000_000) }

    static func reservation(_ id: String, expiresAt: Timestamp) -> Reservation {
        Reservation(id: id, createdAt: time(0), expiresAt: expiresAt, amount: .zero, currency: "USD", attribution: Attribution(),
                    budgetHolds: [], quotaHolds: [])
    }

    /// What the engine did before the queue: scan and sort.
    static func scan(_ live: ReservationTable, at now: Timestamp) -> [String] {
        live.values.filter { $0.expiresAt <= now }.sorted { ($0.expiresAt, $0.id) < ($1.expiresAt, $1.id) }.map(\.id)
    }

    @Test func expiresInExpiryThenIdOrderAndSkipsSettledOnes() {
        var queue = ExpiryQueue()
        var live = ReservationTable()
        for (id, at) in [("c", 10), ("a", 10), ("b", 11), ("d", 12)] as [(String, Int64)] {
            queue.push(id, expiresAt: Self.time(at))
            live[id] = Self.reservation(id, expiresAt: Self.time(at))
        }
        live["b"] = nil  // committed early
        #expect(queue.popExpired(at: Self.time(9), live: live) == [])
        #expect(queue.popExpired(at: Self.time(11), live: live) == ["a", "c"])
        live["a"] = nil; live["c"] = nil
        #expect(queue.popExpired(at: Self.time(12), live: live) == ["d"])
        #expect(queue.count == 0)
    }

    @Test func anIdReservedAgainExpiresOnlyAtItsNewTime() {
        var queue = ExpiryQueue()
        queue.push("r", expiresAt: Self.time(5))
        queue.push("r", expiresAt: Self.time(8))
        var live = ReservationTable()
        live["r"] = Self.reservation("r", expiresAt: Self.time(8))
        #expect(queue.popExpired(at: Self.time(6), live: live) == [])
        #expect(queue.popExpired(at: Self.time(8), live: live) == ["r"])
    }

    @Test func aTableCountsWhatItHoldsAcrossShards() {
        var table = ReservationTable()
        for n in 0..<1_000 { table["r\(n)"] = Self.reservation("r\(n)", expiresAt: Self.time(1)) }
        table["r5"] = Self.reservation("r5", expiresAt: Self.time(2))
        #expect(table.count == 1_000)
        #expect(table.removeValue(forKey: "r7")?.id == "r7")
        #expect(table.removeValue(forKey: "r7") == nil)
        table["r8"] = nil
        #expect(table.count == 998)
        #expect(table["r5"]?.expiresAt == Self.time(2))
        #expect(Set(table.values.map(\.id)).count == 998)
    }

    /// Random pushes (sometimes with the clock stepping back), early settlements and pops: every
    /// pop equals the scan, and the queue never holds much more than the live reservations.
    static let steps = zip(Gen.int(in: 0...9), Gen.int64(in: -3...5), Gen.int64(in: 0...120)).array(of: 1...400)

    @Test func matchesAScanUnderRandomInterleavings() async {
        await propertyCheck(count: 100, input: Self.steps) { steps in
            var queue = ExpiryQueue()
            var live = ReservationTable()
            var now: Int64 = 1_000
            for (step, (kind, clockStep, amount)) in steps.enumerated() {
                switch kind {
                case 0..<6:
                    now += clockStep
                    let id = "r\(step)"
                    queue.push(id, expiresAt: Self.time(now + 300))
                    live[id] = Self.reservation(id, expiresAt: Self.time(now + 300))
                case 6..<8:
                    let ids = live.values.map(\.id).sorted()
                    if !ids.isEmpty { live[ids[Int(amount) % ids.count]] = nil }
                default:
                    now += amount
                    let expected = Self.scan(live, at: Self.time(now))
                    let popped = queue.popExpired(at: Self.time(now), live: live)
                    #expect(popped == expected)
                    #expect(queue.count <= 2 * live.count + 1024)
                    for id in popped { live[id] = nil }
                }
            }
        }
    }
}
