/// A request's priority class within one quota (`priority: high|normal|low` in a rule).
///
/// All classes of a quota share **one** bucket (one ``GCRAState`` per scope); a class differs only
/// in how full it may make that bucket (see ``QuotaPriorityCeilings``). So a higher class "borrows"
/// the headroom lower classes are kept out of, and lower classes never get more than the quota.
public enum QuotaPriority: Int, Sendable, Hashable, CaseIterable, Comparable {
    case low, normal, high

    public static func < (lhs: QuotaPriority, rhs: QuotaPriority) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// How far each priority class may fill a shared bucket, as a percentage of its capacity
/// (`limit + burst`): a request of class `c` is admitted only if, after it, the bucket holds at
/// most `ceiling(c)%` of capacity in outstanding use. `high` is always 100%.
///
/// Example: `low: 50, normal: 80`. With capacity 100 and 60 units in use, a `low` request is
/// refused (the low classes may only fill to 50), a `normal` request of up to 20 units and a `high`
/// one of up to 40 are admitted. Because the ceilings apply to the same bucket, a low-priority
/// flood can never take the last half of the bucket from normal and high traffic, and high traffic
/// may use it all. Deterministic: the answer depends only on the bucket and the class, never on
/// which classes were seen recently.
///
/// A class's depth is `⌊capacity × percent / 100⌋` whole units; a cost above it can never be
/// admitted in that class and is reported as ``QuotaDecision/Verdict/exceedsCapacity``.
public struct QuotaPriorityCeilings: Sendable, Hashable {
    public let lowPercent: Int64
    public let normalPercent: Int64
    public var highPercent: Int64 { 100 }

    /// Every class may fill the whole bucket: priority has no effect (the default).
    public static let none = QuotaPriorityCeilings(uncheckedLow: 100, normal: 100)

    /// - Throws: unless `1 ≤ low ≤ normal ≤ 100`.
    public init(lowPercent: Int64, normalPercent: Int64) throws(QuotaRateError) {
        for value in [lowPercent, normalPercent] where !(1...100).contains(value) {
            throw QuotaRateError(.ceilingOutOfRange(value))
        }
        guard lowPercent <= normalPercent else {
            throw QuotaRateError(.ceilingsOutOfOrder(low: lowPercent, normal: normalPercent))
        }
        self.init(uncheckedLow: lowPercent, normal: normalPercent)
    }

    private init(uncheckedLow low: Int64, normal: Int64) {
        lowPercent = low
        normalPercent = normal
    }
}
