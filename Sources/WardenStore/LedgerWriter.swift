import GRDB
import WardenCore

/// Persists the ledger inside the caller's transaction, in two parts with different rhythms.
///
/// - Series totals and the counters derived from events (unpriced, overflow) are written as
///   absolute values at a *ledger checkpoint*, together with the `seq` of the last usage event
///   they include. They are not written with every group commit: upserting every touched series
///   per commit wrote ~1.7 KB to the WAL per event at batch 1 (the series rows are scattered over
///   the table), more than the events themselves. A restart reads the checkpoint and replays the
///   usage events recorded after it, which gives exactly the same totals (see
///   ``UsageStore/restoreLedger(labelKeys:seriesLimit:)``).
/// - Counters that cannot be replayed from the usage log (duplicates, rejections) are incremented
///   in SQL in the same transaction as the commit that counted them.
enum LedgerWriter {
    /// `meta` key: the `usage_event.seq` up to which the persisted ledger counts events.
    static let checkpointSeqKey = "ledger.checkpoint_seq"

    static func persist(_ checkpoint: Ledger.Checkpoint, throughSeq seq: Int64, in db: Database) throws {
        if !checkpoint.series.isEmpty {
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO ledger_series (provider, model, labels, uncached_input, cache_read, cache_creation,
                                           output, reasoning, requests, costs, audio_input, audio_output, images,
                                           audio_input_us, audio_output_us)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (provider, model, labels) DO UPDATE SET
                    uncached_input = excluded.uncached_input, cache_read = excluded.cache_read,
                    cache_creation = excluded.cache_creation, output = excluded.output,
                    reasoning = excluded.reasoning, requests = excluded.requests, costs = excluded.costs,
                    audio_input = excluded.audio_input, audio_output = excluded.audio_output, images = excluded.images,
                    audio_input_us = excluded.audio_input_us, audio_output_us = excluded.audio_output_us
                """)
            for (key, total) in checkpoint.series {
                upsert.setUncheckedArguments([
                    key.provider, key.model, LengthPrefixedList.encode(key.labelValues),
                    total.uncachedInput, total.cacheRead, total.cacheCreation, total.output, total.reasoning,
                    total.requests, UsageStore.encodeCosts(total.costs), total.audioInput, total.audioOutput, total.images,
                    total.audioInputSeconds.microseconds, total.audioOutputSeconds.microseconds,
                ])
                try upsert.execute()
            }
        }
        if let counters = checkpoint.counters {
            let set = try db.cachedStatement(sql: "INSERT OR REPLACE INTO ledger_counter (name, labels, value) VALUES (?, ?, ?)")
            for (key, count) in counters.unpriced {
                set.setUncheckedArguments(["unpriced", LengthPrefixedList.encode([key.provider, key.model]), count])
                try set.execute()
            }
            set.setUncheckedArguments(["overflow", LengthPrefixedList.encode([]), counters.overflowEvents])
            try set.execute()
        }
        try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                       arguments: [checkpointSeqKey, String(seq)])
    }

    /// Adds duplicates and rejections (counted outside the usage log) in the commit's transaction.
    static func persistIncrements(duplicates: Int64, rejected: [String: Int64], in db: Database) throws {
        func increment(_ name: String, _ labels: [String], by value: Int64) throws {
            guard value != 0 else { return }
            let statement = try db.cachedStatement(sql: """
                INSERT INTO ledger_counter (name, labels, value) VALUES (?, ?, ?)
                ON CONFLICT (name, labels) DO UPDATE SET value = value + excluded.value
                """)
            statement.setUncheckedArguments([name, LengthPrefixedList.encode(labels), value])
            try statement.execute()
        }
        try increment("duplicate", [], by: duplicates)
        for (reason, count) in rejected { try increment("rejected", [reason], by: count) }
    }
}
