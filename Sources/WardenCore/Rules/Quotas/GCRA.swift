/// A rate limiter for one scope: the Generic Cell Rate Algorithm (GCRA), a token bucket kept as a
/// single timestamp.
///
/// ## What a quota means
///
/// A ``QuotaRate`` of `limit` units per `window` with `burst` extra units:
///
/// - **Sustained rate**: units are earned continuously at `limit / window` (the *emission
///   interval* `T = window / limit` per unit, kept exact — never rounded to whole nanoseconds).
///   A client that keeps asking is admitted exactly `limit` units per `window` on average.
/// - **Capacity** `limit + burst`: what a scope that has been idle for a while may spend at once.
///   The bucket is full after `(limit + burst) × T` of idleness, i.e. one `window` plus
///   `burst × T`. A single request larger than the capacity can never be admitted
///   (``QuotaDecision/Verdict/exceedsCapacity``).
/// - **Guarantee**: in *any* interval of length `Δt`, at most `capacity + limit × Δt / window`
///   units are admitted (the GCRA / token-bucket bound). There are no window edges: unlike a
///   fixed-window counter, which admits `2 × limit` in an instant around each edge (the end of one
///   window and the start of the next), an interval of a few nanoseconds here admits at most the
///   capacity. With `burst: 0` that is `limit` — one window's worth.
///
/// Costs are weighted: a request for `n` tokens costs `n` units; a `requests:` quota charges 1.
///
/// ## The algorithm
///
/// The state is the *theoretical arrival time* (TAT): the instant at which the bucket would be
/// full again if nothing more were spent. Admitting `n` units moves it to `max(TAT, now) + n × T`.
/// The tolerance `τ = capacity × T` is how far the TAT may run ahead of now: an attempt is admitted
/// when `max(TAT, now) + n × T − now ≤ τ`. All of it is exact integer arithmetic on `Int128`
/// ticks of `1/limit` ns (see ``QuotaRate``); no `Double`, no allocation, no clock reads — the
/// caller passes `now`.
///
/// ## Operations
///
/// - ``attempt(cost:priority:at:)`` — the pre-flight check. Admitted: the cost is consumed now (a
///   reservation). Refused: nothing changes, and ``QuotaDecision/retryAfter`` says exactly when
///   the same cost would fit.
/// - ``charge(cost:at:)`` — unconditional use, for usage that arrives without a check or exceeds
///   its estimate. It may push the TAT beyond the tolerance (*debt*): following attempts then wait
///   until the debt has been earned back at the sustained rate.
/// - ``refund(cost:at:)`` — gives back part of a reservation (actual use was below the estimate)
///   or all of it (the request was released). A refund never moves the TAT before `now`, so the
///   bucket can never hold more than its capacity; a reservation that has already been earned back
///   by idleness has nothing left to refund.
/// - ``settle(reserved:actual:at:)`` — refund or charge the difference between a reservation and
///   the actual use.
/// - ``snapshot(priority:at:)`` — remaining units and time to full, for `RateLimit` headers.
///
/// Time that goes backwards (an earlier `now` than before) is treated as a busier bucket, never as
/// extra capacity. Negative costs count as 0.
///
/// Priority classes share the bucket with different ceilings (``QuotaPriorityCeilings``); shadow
/// mode and per-scope tables are the ``QuotaTable``'s business.
public struct GCRA: Sendable, Hashable {
    public let rate: QuotaRate
    public private(set) var state: GCRAState

    public init(rate: QuotaRate, state: GCRAState = .idle) {
        self.rate = rate
        self.state = state
    }

    /// Admits `cost` units now if they fit in `priority`'s share of the bucket, consuming them.
    public mutating func attempt(cost: Int64, priority: QuotaPriority = .normal, at now: Timestamp) -> QuotaDecision {
        state.attempt(cost: cost, priority: priority, at: now, rate: rate)
    }

    /// Consumes `cost` units whether or not they fit (may go into debt).
    public mutating func charge(cost: Int64, at now: Timestamp) {
        state.charge(cost: cost, at: now, rate: rate)
    }

    /// Gives back `cost` units, but never more than is still outstanding at `now`.
    public mutating func refund(cost: Int64, at now: Timestamp) {
        state.refund(cost: cost, at: now, rate: rate)
    }

    /// Settles a reservation of `reserved` units whose actual use was `actual`: refunds the excess
    /// or charges the shortfall. Releasing a reservation is `settle(reserved: r, actual: 0, at:)`.
    public mutating func settle(reserved: Int64, actual: Int64, at now: Timestamp) {
        state.settle(reserved: reserved, actual: actual, at: now, rate: rate)
    }

    /// Remaining units for `priority` and time until the bucket is full again.
    public func snapshot(priority: QuotaPriority = .normal, at now: Timestamp) -> QuotaSnapshot {
        state.snapshot(priority: priority, at: now, rate: rate)
    }

    /// The bucket is full: the state is interchangeable with a fresh one.
    public func isIdle(at now: Timestamp) -> Bool { state.isIdle(at: now, rate: rate) }
}

/// The whole per-scope state of a ``GCRA``: the theoretical arrival time, in ticks of
/// `1/limit` ns (so it only means something together with its ``QuotaRate``).
///
/// Overflow: with `limit + burst ≤ 2⁶¹` (``QuotaRate/maximumCapacity``), `|now| × limit` and the
/// tolerance are at most 2¹²⁴ ticks, any single cost at most `Int64.max²` < 2¹²⁶ ticks, and the
/// TAT is clamped to 2¹²⁶ (debt of at least 2⁶⁵ ns ≈ 1,100 years); every intermediate value
/// therefore stays below 2¹²⁷ and no operation can trap.
public struct GCRAState: Sendable, Hashable {
    @usableFromInline var arrival: Int128

    @usableFromInline init(arrival: Int128) { self.arrival = arrival }

    /// A scope never seen, or idle long enough for its bucket to be full.
    public static let idle = GCRAState(arrival: -(1 << 126))

    /// The TAT never exceeds this (see the type's overflow note).
    @usableFromInline static let maximumArrival: Int128 = 1 << 126

    public func isIdle(at now: Timestamp, rate: QuotaRate) -> Bool { arrival <= rate.ticks(now) }

    @inlinable
    mutating func attempt(cost: Int64, priority: QuotaPriority, at now: Timestamp, rate: QuotaRate) -> QuotaDecision {
        let nowTicks = rate.ticks(now)
        let tolerance = rate.tolerance(for: priority)
        let weight = rate.ticks(cost: cost)
        let start = arrival > nowTicks ? arrival : nowTicks
        let ahead = start - nowTicks  // outstanding use before this request, ≥ 0
        if weight > tolerance {
            return QuotaDecision(verdict: .exceedsCapacity, reserved: 0, retryAfter: 0,
                                 remaining: rate.unitsFloor(tolerance - ahead),
                                 resetAfter: rate.nanosecondsCeiling(ahead))
        }
        let aheadAfter = ahead + weight
        guard aheadAfter <= tolerance else {
            // Admissible once `now` has advanced by `aheadAfter - tolerance` ticks; rounding the
            // nanoseconds up makes that the first instant at which it is.
            return QuotaDecision(verdict: .throttled, reserved: 0,
                                 retryAfter: rate.nanosecondsCeiling(aheadAfter - tolerance),
                                 remaining: rate.unitsFloor(tolerance - ahead),
                                 resetAfter: rate.nanosecondsCeiling(ahead))
        }
        arrival = start + weight
        return QuotaDecision(verdict: .allowed, reserved: cost > 0 ? cost : 0, retryAfter: 0,
                             remaining: rate.unitsFloor(tolerance - aheadAfter),
                             resetAfter: rate.nanosecondsCeiling(aheadAfter))
    }

    @inlinable
    mutating func charge(cost: Int64, at now: Timestamp, rate: QuotaRate) {
        let nowTicks = rate.ticks(now)
        let start = arrival > nowTicks ? arrival : nowTicks
        let next = start + rate.ticks(cost: cost)
        arrival = next < Self.maximumArrival ? next : Self.maximumArrival
    }

    @inlinable
    mutating func refund(cost: Int64, at now: Timestamp, rate: QuotaRate) {
        let nowTicks = rate.ticks(now)
        guard arrival > nowTicks else { return }  // already full: nothing outstanding
        let next = arrival - rate.ticks(cost: cost)
        arrival = next > nowTicks ? next : nowTicks
    }

    @inlinable
    mutating func settle(reserved: Int64, actual: Int64, at now: Timestamp, rate: QuotaRate) {
        let reserved = reserved > 0 ? reserved : 0
        let actual = actual > 0 ? actual : 0
        if actual > reserved {
            charge(cost: actual - reserved, at: now, rate: rate)
        } else if actual < reserved {
            refund(cost: reserved - actual, at: now, rate: rate)
        }
    }

    @inlinable
    func snapshot(priority: QuotaPriority, at now: Timestamp, rate: QuotaRate) -> QuotaSnapshot {
        let nowTicks = rate.ticks(now)
        let ahead = arrival > nowTicks ? arrival - nowTicks : 0
        return QuotaSnapshot(remaining: rate.unitsFloor(rate.tolerance(for: priority) - ahead),
                             resetAfter: rate.nanosecondsCeiling(ahead))
    }
}
