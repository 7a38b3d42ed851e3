/// The UTC offsets of one time zone over time, built from the zone's TZif file (RFC 8536) that the
/// caller reads — the core does no I/O (`ZoneInfoDirectory` in WardenStore reads
/// `/usr/share/zoneinfo`).
///
/// Why hand-written rather than Foundation's `TimeZone`: WardenCore is pure Swift without
/// Foundation, and budget windows must be computed identically on every platform from the tzdata
/// the operator ships, not from whatever ICU copy a Foundation build carries.
///
/// Internally every zone is one sorted table of transitions. The POSIX `TZ` rule in the TZif footer
/// (which governs instants after the file's last transition) is expanded into that table up to the
/// end of ``Timestamp``'s range (2262) when the zone is loaded, so ``utcOffset(at:)`` is always a
/// binary search and never allocates.
///
/// Leap seconds are not modelled (as in POSIX time): `right/…` zone files are rejected.
public struct TimeZoneRules: Sendable, Hashable, CustomStringConvertible {
    /// The IANA name (`Europe/Berlin`), as given by the caller.
    public let name: String
    /// Instants, in seconds since the epoch, at which the offset changes; strictly increasing.
    let transitions: [Int64]
    /// `offsets[i]` is the offset in seconds east of UTC from `transitions[i]` on.
    let offsets: [Int32]
    /// The offset before the first transition (or always, when there is none).
    let initialOffset: Int32
    /// The smallest and largest offsets the zone ever uses; they bound the search in `instant(forLocal:)`.
    let minOffset: Int64
    let maxOffset: Int64

    init(name: String, transitions: [Int64], offsets: [Int32], initialOffset: Int32) {
        precondition(transitions.count == offsets.count)
        self.name = name
        self.transitions = transitions
        self.offsets = offsets
        self.initialOffset = initialOffset
        self.minOffset = Int64(offsets.reduce(initialOffset, min))
        self.maxOffset = Int64(offsets.reduce(initialOffset, max))
    }

    /// Coordinated Universal Time: offset 0, no transitions.
    public static let utc = TimeZoneRules(name: "UTC", transitions: [], offsets: [], initialOffset: 0)

    public var description: String { name }

    // MARK: Instant → wall clock

    /// The offset from UTC, in seconds east (Berlin in winter: 3600; New York in winter: -18000).
    public func utcOffset(at instant: Timestamp) -> Int {
        Int(offset(atSecond: instant.secondsSinceEpoch))
    }

    /// What the wall clock in this zone showed at `instant`.
    public func localDateTime(at instant: Timestamp) -> LocalDateTime {
        let second = instant.secondsSinceEpoch
        let offset = offset(atSecond: second)
        let local = second + offset
        let (days, secondOfDay) = Self.floorDivide(local, 86_400)
        let nanosecond = instant.nanosecondsSinceEpoch - second * 1_000_000_000  // 0 ..< 1e9; cannot overflow
        return LocalDateTime(
            date: CivilDate(daysSinceEpoch: Int(days)),
            hour: Int(secondOfDay / 3600), minute: Int(secondOfDay / 60 % 60), second: Int(secondOfDay % 60),
            nanosecond: Int(nanosecond), utcOffset: Int(offset))
    }

    // MARK: Wall clock → instant

    /// The instant at which the wall clock in this zone shows `date` `hour:minute:second`.
    ///
    /// - A time that does not exist because the clocks jumped forward over it (02:30 on the night
    ///   Berlin moves to summer time) maps to the end of the jump — the first instant of the new
    ///   offset (03:00 CEST). A time in a skipped day (Pacific/Apia, 2011-12-30) maps likewise to
    ///   the first instant after the skipped span.
    /// - A time that occurs twice because the clocks fell back (02:30 on the night Berlin returns to
    ///   standard time) maps to the **earlier** instant (02:30 CEST).
    ///
    /// `hour` may be 24 (midnight at the end of `date`), and the fields may be out of their usual
    /// ranges generally: the reading is `date` at 00:00 plus that many seconds. Results beyond
    /// ``Timestamp``'s range (1677–2262) are clamped to it.
    public func instant(forLocal date: CivilDate, hour: Int, minute: Int = 0, second: Int = 0) -> Timestamp {
        let local = Int64(date.daysSinceEpoch) * 86_400 + Int64(hour) * 3600 + Int64(minute) * 60 + Int64(second)
        return Self.timestamp(clampingSeconds: instantSecond(forLocalSecond: local))
    }

    /// See ``instant(forLocal:hour:minute:second:)``; `local` is wall-clock seconds since 1970-01-01T00:00.
    func instantSecond(forLocalSecond local: Int64) -> Int64 {
        if transitions.isEmpty { return local - Int64(initialOffset) }
        // Every solution t of t + offset(t) == local lies in [local - maxOffset, local - minOffset];
        // walk the (few) offset intervals overlapping that range, earliest first.
        let low = local - maxOffset
        let high = local - minOffset
        var index = lastTransition(atOrBefore: low)  // -1: the interval before the first transition
        var gapEnd: Int64?
        while true {
            let intervalStart = index < 0 ? Int64.min : transitions[index]
            if intervalStart > high { break }
            let intervalEnd = index + 1 < transitions.count ? transitions[index + 1] : Int64.max
            let offset = Int64(index < 0 ? initialOffset : offsets[index])
            let candidate = local - offset
            if candidate >= intervalStart && candidate < intervalEnd { return candidate }  // earliest solution
            // Not in this interval: if the reading is past this interval's end in this offset, but
            // before the next interval's start in the next offset, the clocks jumped over it.
            if gapEnd == nil, index + 1 < transitions.count, candidate >= intervalEnd,
               local - Int64(offsets[index + 1]) < intervalEnd {
                gapEnd = intervalEnd
            }
            index += 1
            if index >= transitions.count { break }
        }
        return gapEnd ?? (local - Int64(offsets.last ?? initialOffset))
    }

    // MARK: Table lookups

    func offset(atSecond second: Int64) -> Int64 {
        let index = lastTransition(atOrBefore: second)
        return Int64(index < 0 ? initialOffset : offsets[index])
    }

    /// The index of the last transition at or before `second`, or -1 if there is none.
    func lastTransition(atOrBefore second: Int64) -> Int {
        var low = 0
        var high = transitions.count
        while low < high {
            let middle = (low + high) / 2
            if transitions[middle] <= second { low = middle + 1 } else { high = middle }
        }
        return low - 1
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let (q, r) = value.quotientAndRemainder(dividingBy: divisor)
        return r < 0 ? (q - 1, r + divisor) : (q, r)
    }

    static let minimumSecond = Int64.min / 1_000_000_000
    static let maximumSecond = Int64.max / 1_000_000_000

    static func timestamp(clampingSeconds seconds: Int64) -> Timestamp {
        if seconds > maximumSecond { return Timestamp(nanosecondsSinceEpoch: .max) }
        if seconds < minimumSecond { return Timestamp(nanosecondsSinceEpoch: .min) }
        return Timestamp(secondsSinceEpoch: seconds)
    }
}
