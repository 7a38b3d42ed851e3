/// A point in time as nanoseconds since the Unix epoch (UTC).
///
/// Why not `Foundation.Date`: the core is pure and must price events by their own time exactly;
/// a `Double` of seconds loses nanoseconds far from 1970 and makes equality of timestamps read
/// back from SQLite unreliable. An `Int64` of nanoseconds covers the years 1678–2262.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var nanosecondsSinceEpoch: Int64

    public init(nanosecondsSinceEpoch: Int64) { self.nanosecondsSinceEpoch = nanosecondsSinceEpoch }
    public init(secondsSinceEpoch seconds: Int64) { self.nanosecondsSinceEpoch = seconds * 1_000_000_000 }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch
    }

    /// Whole seconds, rounded toward negative infinity.
    public var secondsSinceEpoch: Int64 {
        let (q, r) = nanosecondsSinceEpoch.quotientAndRemainder(dividingBy: 1_000_000_000)
        return r < 0 ? q - 1 : q
    }

    /// Seconds as a float, for exposition only (`process_start_time_seconds`).
    public var approximateSeconds: Double { Double(nanosecondsSinceEpoch) / 1e9 }

    public var description: String { rfc3339 }
}

/// Something that tells the time. The core never reads a clock itself; the executable passes a
/// ``SystemClock`` and tests pass a fixed one.
public protocol WallClock: Sendable {
    func now() -> Timestamp
}
