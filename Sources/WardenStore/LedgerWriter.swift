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
/// - Each series' period spend is written with its totals, and the reporting windows it was
///   counted in beside the checkpoint's `seq`: a restart in the same windows then reads no
///   events but those after the checkpoint.
/// - Counters that cannot be replayed from the usage log (duplicates, rejections) are incremented
///   in SQL in the same transaction as the commit that counted them.
enum LedgerWriter {
    /// `meta` key: the `usage_event.seq` up to which the persisted ledger counts events.
    static let checkpointSeqKey = "ledger.checkpoint_seq"
    /// `meta` key: the starts of the day, week and month the persisted period spend was counted in.
    static let checkpointWindowsKey = "ledger.checkpoint_windows"

    static func persist(_ checkpoint: Ledger.Checkpoint, throughSeq seq: Int64, in db: Database) throws {
        if !checkpoint.series.isEmpty {
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO ledger_series (provider, model, labels, uncached_input, cache_read, cache_creation,
                                           output, reasoning, requests, costs, audio_input, audio_output, images,
                                           audio_input_us, audio_output_us, period_spend)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (provider, model, labels) DO UPDATE SET
                    uncached_input = excluded.uncached_input, cache_read = excluded.cache_read,
                    cache_creation = excluded.cache_creation, output = excluded.output,
                    reasoning = excluded.reasoning, requests = excluded.requests, costs = excluded.costs,
                    audio_input = excluded.audio_input, audio_output = excluded.audio_output, images = excluded.images,
                    audio_input_us = excluded.audio_input_us, audio_output_us = excluded.audio_output_us,
                    period_spend = excluded.period_spend
                """)
            for (key, total, periodSpend) in checkpoint.series {
                upsert.setUncheckedArguments([
                    key.provider, key.model, LengthPrefixedList.encode(key.labelValues),
                    total.uncachedInput, total.cacheRead, total.cacheCreation, total.output, total.reasoning,
                    total.requests, UsageStore.encodeCosts(total.costs), total.audioInput, total.audioOutput, total.images,
                    total.audioInputSeconds.microseconds, total.audioOutputSeconds.microseconds, encodePeriodSpend(periodSpend),
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
        if let windows = checkpoint.windows {
            let starts = ReportingPeriod.allCases.map { String(windows[$0].start.nanosecondsSinceEpoch) }
            try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                           arguments: [checkpointWindowsKey, LengthPrefixedList.encode(starts)])
        }
    }

    /// The window starts of the persisted period spend, or nil when none was persisted.
    static func checkpointWindowStarts(_ db: Database) throws -> [ReportingPeriod: Timestamp]? {
        guard let text = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [checkpointWindowsKey]) else {
            return nil
        }
        guard let items = LengthPrefixedList.decode(text), items.count == ReportingPeriod.allCases.count else {
            throw StoreError(.corrupt, "the ledger checkpoint's reporting windows \(text.debugDescription) are malformed")
        }
        var starts: [ReportingPeriod: Timestamp] = [:]
        for (period, item) in zip(ReportingPeriod.allCases, items) {
            guard let nanoseconds = Int64(item) else {
                throw StoreError(.corrupt, "the ledger checkpoint's reporting windows \(text.debugDescription) are malformed")
            }
            starts[period] = Timestamp(nanosecondsSinceEpoch: nanoseconds)
        }
        return starts
    }

    /// A series' period spend as one TEXT value: for the day, week and month in turn, the start
    /// of the window its amounts were counted in and the amounts (as `ledger_series.costs`).
    static func encodePeriodSpend(_ spend: PeriodSpend) -> String {
        LengthPrefixedList.encode(ReportingPeriod.allCases.flatMap { period in
            [String(spend[period].start.nanosecondsSinceEpoch), UsageStore.encodeCosts(spend[period].amounts.amounts)]
        })
    }

    static func decodePeriodSpend(_ text: String) throws -> PeriodSpend {
        guard let items = LengthPrefixedList.decode(text), items.count == 2 * ReportingPeriod.allCases.count else {
            throw StoreError(.corrupt, "ledger_series has malformed period spend \(text.debugDescription)")
        }
        var spend = PeriodSpend()
        for (position, period) in ReportingPeriod.allCases.enumerated() {
            guard let nanoseconds = Int64(items[2 * position]) else {
                throw StoreError(.corrupt, "ledger_series has malformed period spend \(text.debugDescription)")
            }
            spend[period] = PeriodSpend.Slot(start: Timestamp(nanosecondsSinceEpoch: nanoseconds),
                                             amounts: CostAmounts(try UsageStore.decodeCosts(items[2 * position + 1])))
        }
        return spend
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
