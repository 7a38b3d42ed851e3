/// The usage of a rolling window (`rolling: 7d`), kept in time buckets so that old usage leaves
/// the window as time passes.
///
/// Buckets are 1/120 of the window (at least one second) wide: usage leaves the window at most
/// one bucket late, i.e. a rolling budget is up to 0.84 % conservative, never lenient. Memory is
/// at most 121 buckets per budget instance, whatever the traffic.
struct RollingUsage: Sendable {
    let window: Int64
    let bucketWidth: Int64
    /// (bucket start, usage), oldest first.
    private var buckets: [(start: Int64, amount: UsageAmount)] = []
    private(set) var total = UsageAmount.zero

    init(window: Int64) {
        self.window = max(window, 1)
        bucketWidth = max(self.window / 120, 1_000_000_000)
    }

    /// Adds usage at `time`; usage older than the window is ignored.
    mutating func add(_ amount: UsageAmount, at time: Timestamp, now: Timestamp) {
        advance(to: now)
        let t = time.nanosecondsSinceEpoch
        guard t > now.nanosecondsSinceEpoch - window else { return }
        let start = t - ((t % bucketWidth) + bucketWidth) % bucketWidth
        if let index = buckets.lastIndex(where: { $0.start == start }) {
            buckets[index].amount += amount
        } else {
            let position = buckets.firstIndex { $0.start > start } ?? buckets.count
            buckets.insert((start, amount), at: position)
        }
        total += amount
    }

    /// Drops the buckets that ended before the window `(now − window, now]`; true when any did
    /// (only then can the total, and so the active step, have changed).
    @discardableResult
    mutating func advance(to now: Timestamp) -> Bool {
        let cutoff = now.nanosecondsSinceEpoch - window
        var dropped = 0
        while dropped < buckets.count, buckets[dropped].start + bucketWidth <= cutoff {
            total -= buckets[dropped].amount
            dropped += 1
        }
        if dropped > 0 { buckets.removeFirst(dropped) }
        return dropped > 0
    }

    /// Whether ``advance(to:)`` would drop a bucket: the check path asks first, so that an
    /// instance with nothing to drop is not rewritten.
    func hasExpired(at now: Timestamp) -> Bool {
        guard let first = buckets.first else { return false }
        return first.start + bucketWidth <= now.nanosecondsSinceEpoch - window
    }

    /// When the oldest usage leaves the window: a throttled caller's earliest useful retry.
    func nextExpiry(after now: Timestamp) -> Int64? {
        guard let first = buckets.first else { return nil }
        return max(first.start + bucketWidth + window - now.nanosecondsSinceEpoch, 0)
    }
}
