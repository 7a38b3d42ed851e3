import GRDB
import WardenCore

/// Persists a planned ledger delta inside the caller's transaction.
///
/// Series rows get their absolute totals (costs are exact decimals, which SQL cannot add);
/// bookkeeping counters are integers and are incremented in SQL.
enum LedgerWriter {
    static func persist(_ delta: Ledger.Delta, in db: Database) throws {
        if !delta.entries.isEmpty {
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO ledger_series (provider, model, labels, uncached_input, cache_read, cache_creation,
                                           output, reasoning, requests, costs)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (provider, model, labels) DO UPDATE SET
                    uncached_input = excluded.uncached_input, cache_read = excluded.cache_read,
                    cache_creation = excluded.cache_creation, output = excluded.output,
                    reasoning = excluded.reasoning, requests = excluded.requests, costs = excluded.costs
                """)
            for entry in delta.entries {
                let total = entry.newTotal
                upsert.setUncheckedArguments([
                    entry.key.provider, entry.key.model, LengthPrefixedList.encode(entry.key.labelValues),
                    total.uncachedInput, total.cacheRead, total.cacheCreation, total.output, total.reasoning,
                    total.requests, UsageStore.encodeCosts(total.costs),
                ])
                try upsert.execute()
            }
        }
        func increment(_ name: String, _ labels: [String], by value: Int64) throws {
            guard value != 0 else { return }
            let statement = try db.cachedStatement(sql: """
                INSERT INTO ledger_counter (name, labels, value) VALUES (?, ?, ?)
                ON CONFLICT (name, labels) DO UPDATE SET value = value + excluded.value
                """)
            statement.setUncheckedArguments([name, LengthPrefixedList.encode(labels), value])
            try statement.execute()
        }
        for (key, count) in delta.unpriced { try increment("unpriced", [key.provider, key.model], by: count) }
        try increment("overflow", [], by: delta.overflowEvents)
        try increment("duplicate", [], by: delta.duplicates)
        for (reason, count) in delta.rejected { try increment("rejected", [reason], by: count) }
    }
}
