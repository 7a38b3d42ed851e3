import WardenCore
import WardenStore

extension SpendSummary {
    /// The summary for the day and month of `calendar` (the reporting zone) containing `now`,
    /// from at most `scanLimit` of the month's most recent events; with `scope`, of the events
    /// with those labels only.
    public static func compute(from store: UsageStore, now: Timestamp, calendar: ReportingCalendar, scope: Attribution = Attribution(),
                               scanLimit: Int = 2_000_000) throws(StoreError) -> SpendSummary {
        var builder = Builder(now: now, calendar: calendar)
        let monthStart = Timestamp(nanosecondsSinceEpoch: window(containing: now, calendar: calendar).monthStart)
        let truncated = try store.scanSpendRecords(since: monthStart, limit: scanLimit,
                                                   attribution: scope.labels.map { (key: $0.key, value: $0.value) }) { builder.add($0) }
        return builder.summary(truncated: truncated)
    }
}
