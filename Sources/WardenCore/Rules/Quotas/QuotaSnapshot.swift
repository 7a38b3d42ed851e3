/// The state of one scope's bucket at an instant, for `RateLimit` headers on any response.
public struct QuotaSnapshot: Sendable, Hashable {
    /// Whole units that could be spent now in the priority class asked about.
    public var remaining: Int64
    /// Nanoseconds until the bucket is full again (0 when it already is).
    public var resetAfter: Int64

    public init(remaining: Int64, resetAfter: Int64) {
        self.remaining = remaining
        self.resetAfter = resetAfter
    }
}
