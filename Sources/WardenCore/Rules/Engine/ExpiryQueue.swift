import DequeModule

/// Reservation ids by expiry, so that expiring them costs the number expired, not the number held.
///
/// Why not a scan: with every check reserving, hundreds of thousands of reservations can be live
/// at once, and scanning them all once a second under the engine's lock stalled every check
/// behind it for milliseconds (it showed as the `/v1/check` p99).
///
/// Why a sorted deque and not a heap: every reservation lives for the same TTL, so pushes arrive
/// in expiry order but for a few microseconds of disorder (checks read the clock before they take
/// the lock). An out-of-order push moves past the few entries it overtook and lands near the end;
/// expiring takes from the front. Both cost O(1) here. swift-collections' `Heap` is a min-max heap:
/// an entry later than all others bubbles up through its max levels on every push, O(log n) moves
/// of a `String`-carrying entry under the engine's lock, growing with the reservations held.
///
/// Entries of reservations committed or released early stay until their time comes (a lookup
/// skips them); when dead entries outnumber live ones the queue is rebuilt, so it holds at most
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

    /// Sorted by (expiry, id), earliest first.
    private var entries = Deque<Entry>()

    var count: Int { entries.count }

    /// The earliest expiry queued (possibly of a reservation already settled: never later than
    /// the next real one).
    var nextExpiry: Timestamp? { entries.first?.expiresAt }

    mutating func push(_ id: String, expiresAt: Timestamp) {
        let entry = Entry(expiresAt: expiresAt, id: id)
        guard let last = entries.last, entry < last else { return entries.append(entry) }
        entries.insert(entry, at: insertionIndex(of: entry))
    }

    /// Where `entry` goes: a few steps back from the end for the usual disorder, else a binary
    /// search (a clock stepped back; `Deque.insert` then shifts the shorter side).
    private func insertionIndex(of entry: Entry) -> Int {
        var index = entries.count - 1
        let nearest = max(0, index - 8)
        while index > nearest, entry < entries[index - 1] { index -= 1 }
        guard index == nearest, index > 0, entry < entries[index - 1] else { return index }
        var low = 0, high = index
        while low < high {
            let middle = (low + high) / 2
            if entries[middle] < entry { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The ids of `live` reservations expired at `now`, in (expiry, id) order, removed from the
    /// queue. `live` is the engine's reservation table (an id absent from it, or present with
    /// another expiry, was settled early). At most `limit` ids are returned; the rest stay queued.
    mutating func popExpired(at now: Timestamp, live: ReservationTable, limit: Int = .max) -> [String] {
        var expired: [String] = []
        while expired.count < limit, let first = entries.first, first.expiresAt <= now {
            entries.removeFirst()
            if live[first.id]?.expiresAt == first.expiresAt { expired.append(first.id) }
        }
        if count > 2 * live.count + 1024 { rebuild(from: live) }
        return expired
    }

    /// The queue of exactly the live reservations.
    mutating func rebuild(from live: ReservationTable) {
        entries = Deque(live.values.map { Entry(expiresAt: $0.expiresAt, id: $0.id) }.sorted())
    }
}
