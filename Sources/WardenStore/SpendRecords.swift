import GRDB
import WardenCore

extension UsageStore {
    /// Reads the events from `since` on, newest first, at most `limit` of them, as the spend
    /// summary reads them; returns whether the limit cut the scan short.
    public func scanSpendRecords(since: Timestamp, limit: Int, _ body: (SpendSummary.Record) -> Void) throws(StoreError) -> Bool {
        var scanned = 0
        do {
            try pool.read { db in
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT time_ns, model, team, session, cost, currency, input_tokens + output_tokens, user
                    FROM usage_event WHERE time_ns >= ? ORDER BY time_ns DESC, seq DESC LIMIT ?
                    """, arguments: [since.nanosecondsSinceEpoch, limit])
                while let row = try rows.next() {
                    scanned += 1
                    let costText: String = row[4]
                    body(SpendSummary.Record(time: Timestamp(nanosecondsSinceEpoch: row[0]), model: row[1], team: row[2] ?? "",
                                             session: row[3], user: row[7], cost: try Money.parse(costText).money,
                                             currency: row[5], tokens: row[6]))
                }
            }
        } catch {
            throw StoreError(.read, "reading the spend summary failed: \(error)")
        }
        return scanned >= limit
    }
}
