import GRDB
import WardenCore

extension UsageStore {
    /// Fills the restored ledger's period spend (``Ledger/periodSpend``) for `windows` from the
    /// usage log: every event from the earliest window start on, summed exactly per series.
    ///
    /// Why not persisted with the ledger checkpoint: the period spend is a sum over the events of
    /// at most a month, which the usage log's time index reads directly (the budgets' restore
    /// reads the same span), and the amounts go stale at every rollover anyway.
    public func restorePeriodSpend(into ledger: inout Ledger, windows: ReportingWindows) throws(StoreError) {
        ledger.beginRestoringPeriodSpend(windows: windows)
        let labelKeys = ledger.labelKeys
        do {
            try pool.read { db in
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT time_ns, provider, model, cost, currency, \(Self.attributionLabelsSQL(labelKeys))
                    FROM usage_event WHERE time_ns >= ?
                    """, arguments: [windows.earliestStart.nanosecondsSinceEpoch])
                while let row = try rows.next() {
                    let labelsText: String = row[5]
                    var values = LengthPrefixedList.decode(labelsText) ?? []
                    if values.count != labelKeys.count { values = Array(repeating: "", count: labelKeys.count) }
                    let costText: String = row[3]
                    ledger.restorePeriodSpend(SeriesKey(provider: row[1], model: row[2], labelValues: values),
                                              time: Timestamp(nanosecondsSinceEpoch: row[0]),
                                              cost: try Money.parse(costText).money, currency: row[4])
                }
            }
        } catch {
            throw StoreError(.read, "restoring the period spend from the usage log failed: \(error)")
        }
    }
}
