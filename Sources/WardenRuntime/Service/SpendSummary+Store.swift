import WardenCore
import WardenStore

extension SpendSummary {
    /// The summary for the UTC day and month containing `now`, from at most `scanLimit` of the
    /// month's most recent events.
    public static func compute(from store: UsageStore, now: Timestamp, scanLimit: Int = 2_000_000) throws(StoreError) -> SpendSummary {
        var builder = Builder(now: now)
        let monthStart = Timestamp(nanosecondsSinceEpoch: window(containing: now).monthStart)
        let truncated = try store.scanSpendRecords(since: monthStart, limit: scanLimit) { builder.add($0) }
        return builder.summary(truncated: truncated)
    }
}
