@testable import WardenCore

/// Shorthands for the quota tests: times are nanoseconds since an arbitrary recent instant.
enum QuotaFixtures {
    static let second: Int64 = 1_000_000_000
    static let minute: Int64 = 60 * second
    /// 2023-11-14T22:13:20Z, far from 0 so the `now × limit` products are realistic.
    static let t0: Int64 = 1_700_000_000 * second

    static func at(_ nanoseconds: Int64) -> Timestamp { Timestamp(nanosecondsSinceEpoch: nanoseconds) }

    static func rate(_ limit: Int64, per window: Int64, burst: Int64 = 0,
                     ceilings: QuotaPriorityCeilings = .none) -> QuotaRate {
        try! QuotaRate(limit: limit, window: window, burst: burst, priorityCeilings: ceilings)
    }

    /// 60 requests per minute, no burst: one request per second sustained, 60 at once.
    static var sixtyPerMinute: GCRA { GCRA(rate: rate(60, per: minute)) }
}
