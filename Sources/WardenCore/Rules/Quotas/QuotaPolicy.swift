/// One `quotas:` rule as the limiter needs it: a name (for headers and metrics), a
/// ``QuotaRate``, what it counts, and whether it is enforced.
public struct QuotaPolicy: Sendable, Hashable {
    /// What one unit of the quota is.
    public enum Unit: Sendable, Hashable {
        /// `tokens:` — a request costs its token count.
        case tokens
        /// `requests:` — a request costs 1.
        case requests
    }

    public var name: String
    public var rate: QuotaRate
    public var unit: Unit
    /// `shadow: true`: measured, never enforced (see ``QuotaTable``).
    public var isShadow: Bool

    public init(name: String, rate: QuotaRate, unit: Unit, isShadow: Bool = false) {
        self.name = name
        self.rate = rate
        self.unit = unit
        self.isShadow = isShadow
    }
}
