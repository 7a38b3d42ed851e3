import GRDB
import WardenCore

extension UsageStore {
    /// Reads the events from `since` on, newest first, at most `limit` of them, as the spend
    /// summary reads them; returns whether the limit cut the scan short.
    /// `attribution` narrows the scan to events with those labels (a scoped API key's view).
    public func scanSpendRecords(since: Timestamp, limit: Int, attribution: [(key: String, value: String)] = [],
                                 _ body: (SpendSummary.Record) -> Void) throws(StoreError) -> Bool {
        var scanned = 0
        var conditions = ["time_ns >= ?"]
        var arguments: [DatabaseValueConvertible?] = [since.nanosecondsSinceEpoch]
        for (key, value) in attribution {
            conditions.append(Self.attributionCondition(key))
            arguments.append(value)
        }
        arguments.append(limit)
        do {
            try pool.read { db in
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT time_ns, model, team, session, cost, currency, input_tokens + output_tokens, user
                    FROM usage_event WHERE \(conditions.joined(separator: " AND ")) ORDER BY time_ns DESC, seq DESC LIMIT ?
                    """, arguments: StatementArguments(arguments))
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
