/// The shape of one rate limit: `limit` units per `window`, `burst` extra units of bucket depth,
/// and optional priority ceilings. Immutable and shared by every scope of a quota; the per-scope
/// state is only a ``GCRAState`` (16 bytes).
///
/// See ``GCRA`` for what these numbers mean to a client.
///
/// Internally time is counted in *ticks* of `1/limit` nanoseconds, so that one unit costs exactly
/// `window` ticks and the emission interval `window/limit` never has to be rounded (60 requests per
/// 7 s has no whole-nanosecond interval). Every quantity is an `Int128`; the bounds below keep all
/// intermediate values under 2¹²⁷ (see ``GCRAState``).
public struct QuotaRate: Sendable, Hashable {
    /// Units (tokens or requests) admitted per ``window`` at the sustained rate. At least 1.
    public let limit: Int64
    /// The window length in nanoseconds. At least 1.
    public let window: Int64
    /// Extra units of bucket depth on top of ``limit``. At least 0.
    public let burst: Int64
    /// How high each priority class may fill the bucket.
    public let priorityCeilings: QuotaPriorityCeilings

    /// The largest `limit + burst` accepted (≈ 2.3·10¹⁸): keeps `|now × limit|` and the
    /// tolerance at most 2¹²⁴ ticks for every ``Timestamp``, which ``GCRAState`` relies on.
    public static let maximumCapacity: Int64 = 1 << 61

    /// Units of bucket depth per class (`low`, `normal`, `high`), each `≤ capacity`.
    @usableFromInline let classCapacity: (low: Int64, normal: Int64, high: Int64)

    public init(limit: Int64, window: Int64, burst: Int64 = 0,
                priorityCeilings: QuotaPriorityCeilings = .none) throws(QuotaRateError) {
        guard limit >= 1 else { throw QuotaRateError(.limitNotPositive(limit)) }
        guard window >= 1 else { throw QuotaRateError(.windowNotPositive(window)) }
        guard burst >= 0 else { throw QuotaRateError(.burstNegative(burst)) }
        guard limit <= Self.maximumCapacity - burst else {
            throw QuotaRateError(.capacityTooLarge(limit: limit, burst: burst))
        }
        self.limit = limit
        self.window = window
        self.burst = burst
        self.priorityCeilings = priorityCeilings
        let capacity = limit + burst
        // capacity ≤ 2⁶¹, percent ≤ 100: the product fits an Int64 only via Int128.
        func share(_ percent: Int64) -> Int64 { Int64(Int128(capacity) * Int128(percent) / 100) }
        classCapacity = (share(priorityCeilings.lowPercent), share(priorityCeilings.normalPercent), capacity)
    }

    /// Units an idle scope may spend at once: `limit + burst`.
    @inlinable public var capacity: Int64 { limit + burst }

    /// Units an idle scope may spend at once in `priority`'s class (see ``QuotaPriorityCeilings``).
    @inlinable public func capacity(for priority: QuotaPriority) -> Int64 {
        switch priority {
        case .low: classCapacity.low
        case .normal: classCapacity.normal
        case .high: classCapacity.high
        }
    }

    /// How far (in ticks) the theoretical arrival time may run ahead of now for `priority`.
    @inlinable func tolerance(for priority: QuotaPriority) -> Int128 {
        Int128(capacity(for: priority)) * Int128(window)
    }

    @inlinable func ticks(_ time: Timestamp) -> Int128 {
        Int128(time.nanosecondsSinceEpoch) * Int128(limit)
    }

    /// Ticks consumed by `cost` units; negative costs count as 0.
    @inlinable func ticks(cost: Int64) -> Int128 {
        Int128(cost > 0 ? cost : 0) * Int128(window)
    }

    /// Whole nanoseconds covering `ticks` (≥ 0), rounded up, saturating at `Int64.max`.
    @inlinable func nanosecondsCeiling(_ ticks: Int128) -> Int64 {
        QuotaArithmetic.divideRoundingUp(ticks, by: limit)
    }

    /// Whole units in `ticks` (≥ 0), rounded down, saturating at `Int64.max`.
    @inlinable func unitsFloor(_ ticks: Int128) -> Int64 {
        QuotaArithmetic.divideRoundingDown(ticks, by: window)
    }

    public static func == (lhs: QuotaRate, rhs: QuotaRate) -> Bool {
        lhs.limit == rhs.limit && lhs.window == rhs.window && lhs.burst == rhs.burst
            && lhs.priorityCeilings == rhs.priorityCeilings
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(limit)
        hasher.combine(window)
        hasher.combine(burst)
        hasher.combine(priorityCeilings)
    }
}
