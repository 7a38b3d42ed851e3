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
    private typealias Entry = (expiresAt: Timestamp, id: String)
    private var heap: [Entry] = []

    var count: Int { heap.count }

    /// The earliest expiry queued (possibly of a reservation already settled: never later than
    /// the next real one).
    var nextExpiry: Timestamp? { heap.first?.expiresAt }

    private static func precedes(_ left: Entry, _ right: Entry) -> Bool {
        left.expiresAt != right.expiresAt ? left.expiresAt < right.expiresAt : left.id < right.id
    }

    mutating func push(_ id: String, expiresAt: Timestamp) {
        heap.append((expiresAt, id))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.precedes(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// The ids of `live` reservations expired at `now`, in (expiry, id) order, removed from the
    /// queue. `live` is the engine's reservation table (an id absent from it, or present with
    /// another expiry, was settled early). At most `limit` ids are returned; the rest stay queued.
    mutating func popExpired(at now: Timestamp, live: ReservationTable, limit: Int = .max) -> [String] {
        var expired: [String] = []
        while expired.count < limit, let first = heap.first, first.expiresAt <= now {
            heap.swapAt(0, heap.count - 1)
            heap.removeLast()
            siftDown(from: 0)
            if live[first.id]?.expiresAt == first.expiresAt { expired.append(first.id) }
        }
        if count > 2 * live.count + 1024 { rebuild(from: live) }
        return expired
    }

    private mutating func siftDown(from start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, Self.precedes(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count, Self.precedes(heap[right], heap[smallest]) { smallest = right }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }

    /// The queue of exactly the live reservations (a sorted array is a heap).
    mutating func rebuild(from live: ReservationTable) {
        heap = live.values.map { (expiresAt: $0.expiresAt, id: $0.id) }
        heap.sort { (left: Entry, right: Entry) in Self.precedes(left, right) }
    }
}
