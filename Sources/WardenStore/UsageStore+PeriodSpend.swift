import GRDB
import WardenCore

extension UsageStore {
    /// Counts the usage log's events up to `seq` in the restored ledger's period spend of
    /// `periods` (cleared beforehand by ``Ledger/beginRestoringPeriodSpend(windows:keeping:)``):
    /// every event from the earliest of their windows' starts on, summed exactly per series.
    ///
    /// Only periods whose window changed since the checkpoint are counted this way, so a restart
    /// within the same day reads no events for it, and one after midnight reads that day's.
    static func countPeriodSpend(_ db: Database, into ledger: inout Ledger, periods: [ReportingPeriod],
                                 throughSeq seq: Int64) throws {
        guard let windows = ledger.reportingWindows, !periods.isEmpty else { return }
        let labelKeys = ledger.labelKeys
        let earliest = periods.map { windows[$0].start }.min()!
        do {
            let rows = try Row.fetchCursor(db, sql: """
                SELECT time_ns, provider, model, cost, currency, \(Self.attributionLabelsSQL(labelKeys))
                FROM usage_event WHERE time_ns >= ? AND seq <= ?
                """, arguments: [earliest.nanosecondsSinceEpoch, seq])
            while let row = try rows.next() {
                let labelsText: String = row[5]
                var values = LengthPrefixedList.decode(labelsText) ?? []
                if values.count != labelKeys.count { values = Array(repeating: "", count: labelKeys.count) }
                let costText: String = row[3]
                ledger.restorePeriodSpend(SeriesKey(provider: row[1], model: row[2], labelValues: values),
                                          time: Timestamp(nanosecondsSinceEpoch: row[0]),
                                          cost: try Money.parse(costText).money, currency: row[4], periods: periods)
            }
        } catch {
            throw StoreError(.read, "restoring the period spend from the usage log failed: \(error)")
        }
    }
}
