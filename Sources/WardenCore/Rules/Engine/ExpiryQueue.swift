import HeapModule

/// Reservation ids by expiry, so that expiring them costs the number expired (times a
/// logarithm), not the number held.
///
/// Why not a scan: with every check reserving, hundreds of thousands of reservations can be live
/// at once, and scanning them all once a second under the engine's lock stalled every check
/// behind it for milliseconds (it showed as the `/v1/check` p99). Why a heap and not a FIFO,
/// though every reservation lives for the same TTL: checks read the clock before they take the
/// lock, so reservations arrive a few microseconds out of order, and a FIFO would either expire
/// some late or need re-sorting. Pushes arrive almost in order, so a push rarely sifts at all.
///
/// Entries of reservations committed or released early stay until their time comes (a lookup
/// skips them); when dead entries outnumber live ones the heap is rebuilt, so it holds at most
/// about twice the live reservations.
struct ExpiryQueue: Sendable {
    /// Ordered by expiry, then id, so that equal expiries still have one order.
    private struct Entry: Comparable, Sendable {
        var expiresAt: Timestamp
        var id: String

        static func < (left: Entry, right: Entry) -> Bool {
            left.expiresAt != right.expiresAt ? left.expiresAt < right.expiresAt : left.id < right.id
        }
    }

    private var heap = Heap<Entry>()

    var count: Int { heap.count }

    /// The earliest expiry queued (possibly of a reservation already settled: never later than
    /// the next real one).
    var nextExpiry: Timestamp? { heap.min?.expiresAt }

    mutating func push(_ id: String, expiresAt: Timestamp) {
        heap.insert(Entry(expiresAt: expiresAt, id: id))
    }

    /// The ids of `live` reservations expired at `now`, in (expiry, id) order, removed from the
    /// queue. `live` is the engine's reservation table (an id absent from it, or present with
    /// another expiry, was settled early). At most `limit` ids are returned; the rest stay queued.
    mutating func popExpired(at now: Timestamp, live: ReservationTable, limit: Int = .max) -> [String] {
        var expired: [String] = []
        while expired.count < limit, let first = heap.min, first.expiresAt <= now {
            _ = heap.popMin()
            if live[first.id]?.expiresAt == first.expiresAt { expired.append(first.id) }
        }
        if count > 2 * live.count + 1024 { rebuild(from: live) }
        return expired
    }

    /// The queue of exactly the live reservations.
    mutating func rebuild(from live: ReservationTable) {
        heap = Heap(live.values.map { Entry(expiresAt: $0.expiresAt, id: $0.id) })
    }
}
