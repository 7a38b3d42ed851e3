/// Reservation ids in the order they expire, so that expiring them costs the number expired,
/// not the number held.
///
/// Why a queue and not a scan: with every check reserving, hundreds of thousands of
/// reservations can be live at once, and scanning them all once a second under the engine's
/// lock stalled every check behind it for milliseconds (it showed as the `/v1/check` p99).
/// Reservations all live for the same TTL, so they expire in the order they were made: a FIFO
/// holds them sorted for free. Should the clock step back (an entry expiring before the one
/// before it), the queue is marked unsorted and rebuilt from the live reservations at the next
/// expiry, which is then exact again.
///
/// Entries of reservations committed or released early stay until their time comes (a lookup
/// skips them); when dead entries outnumber live ones the queue is rebuilt, so it holds at most
/// about twice the live reservations.
///
/// Stored in chunks of 4,096 entries: a single array doubling at 262,144 entries stalled checks
/// for milliseconds while it copied.
struct ExpiryQueue: Sendable {
    private typealias Entry = (expiresAt: Timestamp, id: String)
    private static let chunkSize = 4096
    private var chunks: [[Entry]] = []
    /// Entries of the first chunk already popped.
    private var head = 0
    private(set) var count = 0
    private var sorted = true

    mutating func push(_ id: String, expiresAt: Timestamp) {
        if count > 0, let last = chunks.last?.last, expiresAt < last.expiresAt { sorted = false }
        if chunks.isEmpty || chunks[chunks.count - 1].count >= Self.chunkSize {
            chunks.append([])
            chunks[chunks.count - 1].reserveCapacity(Self.chunkSize)
        }
        chunks[chunks.count - 1].append((expiresAt, id))
        count += 1
    }

    /// The ids of `live` reservations expired at `now`, in (expiry, id) order, removed from the
    /// queue. `live` is the engine's reservation table (an id absent from it, or present with
    /// another expiry, was settled early).
    mutating func popExpired(at now: Timestamp, live: ReservationTable) -> [String] {
        if !sorted { rebuild(from: live) }
        var expired: [Entry] = []
        while count > 0, chunks[0][head].expiresAt <= now {
            let entry = chunks[0][head]
            head += 1
            count -= 1
            if head == chunks[0].count {
                chunks.removeFirst()
                head = 0
            }
            if live[entry.id]?.expiresAt == entry.expiresAt { expired.append(entry) }
        }
        if count > 2 * live.count + 1024 { rebuild(from: live) }
        // Equal expiries come out in the order made; the audit rows list them by id.
        return expired.sorted { ($0.expiresAt, $0.id) < ($1.expiresAt, $1.id) }.map(\.id)
    }

    /// The queue of exactly the live reservations.
    mutating func rebuild(from live: ReservationTable) {
        var entries: [Entry] = live.values.map { (expiresAt: $0.expiresAt, id: $0.id) }
        entries.sort { (left: Entry, right: Entry) in (left.expiresAt, left.id) < (right.expiresAt, right.id) }
        chunks = stride(from: 0, to: entries.count, by: Self.chunkSize).map {
            Array(entries[$0..<min($0 + Self.chunkSize, entries.count)])
        }
        head = 0
        count = entries.count
        sorted = true
    }
}
