/// The answer to one ``GCRA/attempt(cost:priority:at:)``: whether to admit, and what to tell the
/// client in `Retry-After` / `RateLimit` headers. A plain value, never allocated.
public struct QuotaDecision: Sendable, Hashable {
    public enum Verdict: Sendable, Hashable {
        /// The cost fits: it has been reserved (consumed now; settle or release it later).
        case allowed
        /// The cost does not fit now; it will at `now + retryAfter`. Nothing was consumed.
        case throttled
        /// The cost is larger than the bucket (for this priority class) can ever hold: retrying
        /// cannot help, so deny without `Retry-After`. Nothing was consumed.
        case exceedsCapacity
    }

    /// What the limit says about this request.
    public var verdict: Verdict
    /// The quota is in shadow mode: the request is admitted whatever ``verdict`` says, and its
    /// cost was consumed (see ``QuotaTable``).
    public var isShadow: Bool
    /// The scope was metered in the table's shared overflow bucket (the key cap was reached).
    public var isOverflow: Bool
    /// Units consumed by this decision: the cost when admitted (always in shadow mode), else 0.
    /// This is what a later settle or release must start from.
    public var reserved: Int64
    /// Nanoseconds until the same attempt would be admitted: 0 unless ``verdict`` is `throttled`.
    /// Exact: an attempt at `now + retryAfter` succeeds, one nanosecond earlier it does not
    /// (absent other traffic). For `Retry-After`, round up to seconds
    /// (``RateLimitHeaders/retryAfterSeconds(_:)``).
    public var retryAfter: Int64
    /// Whole units the scope could still spend now in this priority class, after this decision.
    public var remaining: Int64
    /// Nanoseconds until the bucket is full again (no outstanding use), after this decision.
    public var resetAfter: Int64

    public init(verdict: Verdict, isShadow: Bool = false, isOverflow: Bool = false, reserved: Int64,
                retryAfter: Int64, remaining: Int64, resetAfter: Int64) {
        self.verdict = verdict
        self.isShadow = isShadow
        self.isOverflow = isOverflow
        self.reserved = reserved
        self.retryAfter = retryAfter
        self.remaining = remaining
        self.resetAfter = resetAfter
    }

    /// Whether to let the request through: the verdict is `allowed`, or the quota is in shadow mode.
    @inlinable public var isAllowed: Bool { verdict == .allowed || isShadow }

    /// A shadow quota would have refused this request had it been enforced.
    @inlinable public var wouldThrottle: Bool { isShadow && verdict != .allowed }
}
