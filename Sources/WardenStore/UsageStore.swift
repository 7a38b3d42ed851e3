import GRDB
import Logging
import WardenCore

/// The SQLite database behind TokenWarden: the usage log, the persisted ledger, and (later) the
/// audit chain, all in one file.
///
/// A `DatabasePool` in WAL mode: one writer (the ``UsageWriter`` thread) and concurrent readers
/// (usage exports, the landing page), so reads never wait for a group commit.
public final class UsageStore: Sendable {
    let pool: DatabasePool
    public let path: String
    public let durability: Durability
    let logger: Logger
    /// WAL checkpoints off the writer thread, for a service to run (see ``WALCheckpointer``).
    public let checkpointer: WALCheckpointer

    public init(path: String, durability: Durability = .processCrash, logger: Logger) throws(StoreError) {
        self.path = path
        self.durability = durability
        self.logger = logger
        var configuration = Configuration()
        configuration.label = "tokenwarden"
        let synchronous = durability.synchronousPragma
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
            // The writer connection's automatic checkpoint is replaced by ``WALCheckpointer``.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 4000")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        configuration.busyMode = .timeout(10)
        checkpointer = WALCheckpointer(path: path, logger: logger)
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Schema.migrator.migrate(pool)
            try pool.writeWithoutTransaction { db in
                // Only the writer gets the large cache: every insert walks the `id` index at a
                // point that depends on the id, and once that index outgrew SQLite's default
                // 2 MB cache each group commit re-read its pages (the recovery database's writer
                // fell from 62k to 14k ev/s). Readers scan, and a scan gains nothing from it.
                try db.execute(sql: "PRAGMA cache_size = -\(Self.writerCacheKiB)")
                if let connection = db.sqliteConnection { checkpointer.attach(to: connection) }
            }
        } catch {
            throw StoreError(.open, "cannot open database \(path): \(error)")
        }
    }

    deinit {
        checkpointer.close()
    }

    /// The writer connection's page cache, in KiB: the `id` index of about 600k events. Pages are
    /// only allocated as they are read, so a small database costs nothing more.
    static let writerCacheKiB = 32 << 10

    /// Closes the database: checkpoints the WAL into the main file so the directory holds one
    /// self-contained file after a clean shutdown. A command working on the file of a running
    /// server passes `checkpointing: false`: a truncating checkpoint waits for the server's
    /// readers and writer, and the server checkpoints its own WAL anyway.
    public func close(checkpointing: Bool = true) {
        checkpointer.close()
        do {
            if checkpointing {
                try pool.writeWithoutTransaction { db in
                    _ = try db.checkpoint(.truncate)
                }
            }
            try pool.close()
        } catch {
            logger.warning("closing the database failed", metadata: ["error": "\(error)"])
        }
    }

    // MARK: ledger

    static let labelSchemaKey = "ledger.label_keys"
    static let seriesLimitKey = "ledger.series_limit"

    /// Restores the ledger persisted by earlier runs.
    ///
    /// When the label configuration or the series limit changed since the ledger was written,
    /// the persisted series no longer match, so the ledger is rebuilt from the usage log in one
    /// transaction (counters keep their totals; only their label split changes).
    ///
    /// With `reportingWindows`, the ledger's period spend (``Ledger/periodSpend``) is restored for
    /// them too: from the checkpoint for each period whose window has not changed since, from the
    /// usage log's events of the window for the others.
    public func restoreLedger(labelKeys: [String], seriesLimit: Int,
                              reportingWindows windows: ReportingWindows? = nil) throws(StoreError) -> Ledger {
        do {
            return try pool.write { db in
                let storedKeys = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [Self.labelSchemaKey])
                let storedLimit = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [Self.seriesLimitKey])
                let keysText = LengthPrefixedList.encode(labelKeys)
                let hasEvents = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM usage_event)") ?? false
                if storedKeys == keysText && storedLimit == String(seriesLimit) {
                    // The checkpoint is a cache of the usage log: if any of it cannot be read, the
                    // log is the truth, and starting from it beats refusing to start.
                    do {
                        return try Self.restoreFromCheckpoint(db, labelKeys: labelKeys, seriesLimit: seriesLimit, windows: windows)
                    } catch {
                        logger.error("the ledger checkpoint cannot be read; rebuilding counters from the usage log",
                                     metadata: ["reason": "\(error)"])
                    }
                } else if hasEvents {
                    logger.notice("ledger label configuration changed; rebuilding counters from the usage log",
                                  metadata: ["labels": "\(labelKeys)", "series_limit": "\(seriesLimit)"])
                }
                let ledger = try Self.rebuildLedger(db, labelKeys: labelKeys, seriesLimit: seriesLimit, windows: windows)
                try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?), (?, ?)",
                               arguments: [Self.labelSchemaKey, keysText, Self.seriesLimitKey, String(seriesLimit)])
                return ledger
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.read, "cannot restore the ledger from \(path): \(error)")
        }
    }

    /// The persisted checkpoint plus the events recorded after it, checkpointed again.
    ///
    /// The period spend of a period whose window is still the checkpoint's is the checkpoint's
    /// amounts plus the replayed events, as the writer would have counted them; a period that
    /// rolled over since (or a checkpoint written without period spend) is counted again from
    /// the window's events up to the checkpoint, before which the replay does not reach.
    static func restoreFromCheckpoint(_ db: Database, labelKeys: [String], seriesLimit: Int,
                                      windows: ReportingWindows?) throws -> Ledger {
        var periodSpendStored = true
        var ledger = try readLedger(db, labelKeys: labelKeys, seriesLimit: seriesLimit, periodSpendStored: &periodSpendStored)
        let lastSeq = try lastSeq(db)
        // A database written before ledger checkpoints existed kept its ledger in sync with every
        // commit: nothing to replay.
        let checkpointText = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?",
                                                 arguments: [LedgerWriter.checkpointSeqKey])
        let checkpointSeq: Int64
        if let checkpointText {
            guard let seq = Int64(checkpointText), seq >= 0, seq <= lastSeq else {
                throw StoreError(.corrupt, "the ledger checkpoint's sequence \(checkpointText.debugDescription) is not one of the usage log's")
            }
            checkpointSeq = seq
        } else {
            checkpointSeq = lastSeq
        }
        var recounted: [ReportingPeriod] = []
        if let windows {
            let stored = periodSpendStored ? try LedgerWriter.checkpointWindowStarts(db) : nil
            let kept = Set(ReportingPeriod.allCases.filter { stored?[$0] == windows[$0].start })
            recounted = ReportingPeriod.allCases.filter { !kept.contains($0) }
            ledger.beginRestoringPeriodSpend(windows: windows, keeping: kept)
        }
        try replay(db, into: &ledger, after: checkpointSeq, windows: windows)
        try countPeriodSpend(db, into: &ledger, periods: recounted, throughSeq: checkpointSeq)
        try LedgerWriter.persist(ledger.takeCheckpoint(), throughSeq: lastSeq, in: db)
        return ledger
    }

    /// Reads the checkpoint. Every value is read with a throwing decode and checked, because a
    /// damaged row (a NULL, text where a count belongs, a label list cut short) must become an
    /// error that triggers a rebuild, never a crash that fails every start.
    /// `periodSpendStored` is cleared when a row was written before period spend was persisted.
    static func readLedger(_ db: Database, labelKeys: [String], seriesLimit: Int,
                           periodSpendStored: inout Bool) throws -> Ledger {
        var ledger = Ledger(labelKeys: labelKeys, seriesLimit: seriesLimit)
        let rows = try Row.fetchCursor(db, sql: """
            SELECT provider, model, labels, uncached_input, cache_read, cache_creation, output, reasoning, requests, costs,
                   audio_input, audio_output, images, audio_input_us, audio_output_us, period_spend
            FROM ledger_series ORDER BY rowid
            """)
        func count(_ row: Row, _ index: Int, _ what: String) throws -> Int64 {
            guard let value = storedCount(row, index) else {
                throw StoreError(.corrupt, "ledger_series has a \(what) count that is not a whole number of at least 0")
            }
            return value
        }
        while let row = try rows.next() {
            let labelsText: String = try row.decode(atIndex: 2)
            guard let values = LengthPrefixedList.decode(labelsText), values.count == labelKeys.count else {
                throw StoreError(.corrupt, "ledger_series row has malformed labels \(labelsText.debugDescription)")
            }
            var totals = SeriesTotals()
            totals.uncachedInput = try count(row, 3, "uncached input")
            totals.cacheRead = try count(row, 4, "cache read")
            totals.cacheCreation = try count(row, 5, "cache creation")
            totals.output = try count(row, 6, "output")
            totals.reasoning = try count(row, 7, "reasoning")
            totals.requests = try count(row, 8, "request")
            totals.costs = try decodeCosts(row.decode(atIndex: 9))
            totals.audioInput = try count(row, 10, "audio input")
            totals.audioOutput = try count(row, 11, "audio output")
            totals.images = try count(row, 12, "image")
            totals.audioInputSeconds = MediaSeconds(microseconds: try count(row, 13, "audio input microsecond"))
            totals.audioOutputSeconds = MediaSeconds(microseconds: try count(row, 14, "audio output microsecond"))
            var periodSpend = PeriodSpend()
            if let text = try row.decode(String?.self, atIndex: 15) {
                periodSpend = try LedgerWriter.decodePeriodSpend(text)
            } else {
                periodSpendStored = false
            }
            ledger.restore(SeriesKey(provider: try row.decode(atIndex: 0), model: try row.decode(atIndex: 1), labelValues: values),
                           totals: totals, periodSpend: periodSpend)
        }
        let counters = try Row.fetchCursor(db, sql: "SELECT name, labels, value FROM ledger_counter")
        while let row = try counters.next() {
            let name: String = try row.decode(atIndex: 0)
            let labelsText: String = try row.decode(atIndex: 1)
            guard let labels = LengthPrefixedList.decode(labelsText), let value = storedCount(row, 2) else {
                throw StoreError(.corrupt, "ledger_counter row \(name.debugDescription) is malformed")
            }
            switch name {
            case "unpriced" where labels.count == 2:
                ledger.restoreUnpriced(.init(provider: labels[0], model: labels[1]), count: value)
            case "overflow" where labels.isEmpty:
                ledger.restoreOverflowEvents(value)
            case "duplicate" where labels.isEmpty:
                ledger.restoreDuplicateEvents(value)
            case "rejected" where labels.count == 1:
                ledger.restoreRejectedEvents(reason: labels[0], count: value)
            default:
                throw StoreError(.corrupt, "ledger_counter has an unknown row \(name.debugDescription)")
            }
        }
        return ledger
    }

    /// A non-negative INTEGER as stored. SQLite's own conversion would read the text `many` as 0
    /// and the real 1.5 as 1, so the storage class is checked rather than converted.
    static func storedCount(_ row: Row, _ index: Int) -> Int64? {
        let value: DatabaseValue = row[index]
        guard case .int64(let count) = value.storage, count >= 0 else { return nil }
        return count
    }

    /// Replays the whole usage log into a fresh ledger, with the period spend of `windows`, and
    /// persists it.
    static func rebuildLedger(_ db: Database, labelKeys: [String], seriesLimit: Int, windows: ReportingWindows?) throws -> Ledger {
        let previousCounters = try Row.fetchAll(db, sql: "SELECT name, labels, value FROM ledger_counter WHERE name IN ('duplicate', 'rejected')")
        try db.execute(sql: "DELETE FROM ledger_series; DELETE FROM ledger_counter;")
        var ledger = Ledger(labelKeys: labelKeys, seriesLimit: seriesLimit)
        let lastSeq = try Self.lastSeq(db)
        try replayAggregated(db, into: &ledger)
        if let windows {
            ledger.beginRestoringPeriodSpend(windows: windows)
            try countPeriodSpend(db, into: &ledger, periods: ReportingPeriod.allCases, throughSeq: lastSeq)
        }
        try LedgerWriter.persist(ledger.takeCheckpoint(), throughSeq: lastSeq, in: db)
        // Duplicates and rejections are not in the usage log: carried over, except rows too
        // damaged to read (a rebuild may be running because the checkpoint is damaged).
        var carried = Ledger.Delta()
        for row in previousCounters {
            guard let name = try? row.decode(String.self, atIndex: 0), let value = storedCount(row, 2) else { continue }
            if name == "duplicate" { carried.duplicates = carried.duplicates.addingSaturating(value) }
            if name == "rejected", let labels = try? row.decode(String.self, atIndex: 1),
               let reason = LengthPrefixedList.decode(labels)?.first {
                carried.rejected[reason, default: 0] = carried.rejected[reason, default: 0].addingSaturating(value)
            }
        }
        try LedgerWriter.persistIncrements(duplicates: carried.duplicates, rejected: carried.rejected, in: db)
        ledger.apply(carried)
        return ledger
    }

    static func lastSeq(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT max(seq) FROM usage_event") ?? 0
    }

    /// Counts the usage events recorded after `seq` (the last ledger checkpoint) into `ledger`,
    /// in the order they were recorded, exactly as the writer counted them.
    static func replay(_ db: Database, into ledger: inout Ledger, after seq: Int64, windows: ReportingWindows? = nil) throws {
        let labelKeys = ledger.labelKeys
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT id, time_ns, provider, model, input_tokens, output_tokens, cache_read_input_tokens,
                   cache_creation_input_tokens, reasoning_tokens, cost, currency, priced, attribution_labels,
                   \(MediaColumns.list)
            FROM (SELECT *, \(attributionLabelsSQL(labelKeys)) AS attribution_labels FROM usage_event WHERE seq > ?)
            ORDER BY seq
            """, arguments: [seq])
        var chunk: [PricedEvent] = []
        chunk.reserveCapacity(10_000)
        var initial = Ledger.Delta()
        initial.windows = windows
        func flush() {
            ledger.apply(ledger.plan(chunk, into: initial))
            chunk.removeAll(keepingCapacity: true)
        }
        while let row = try cursor.next() {
            var attribution = Attribution()
            let values = LengthPrefixedList.decode(row[12]) ?? []
            for (key, value) in zip(labelKeys, values) where !value.isEmpty { attribution[key] = value }
            let media = MediaColumns.read(row, at: 13)
            let tokens = TokenUsage(input: row[4], output: row[5], cacheRead: row[6], cacheCreation: row[7], reasoning: row[8],
                                    audioInput: media.audioInput, audioOutput: media.audioOutput)
            let event = UsageEvent(id: row[0], time: Timestamp(nanosecondsSinceEpoch: row[1]), provider: row[2], model: row[3],
                                   tokens: tokens, media: media.media, attribution: attribution)
            let costText: String = row[9]
            let cost = try Money.parse(costText).money
            chunk.append(PricedEvent(event: event, time: event.time!, cost: cost, currency: row[10], priced: row[11]))
            if chunk.count == 10_000 { flush() }
        }
        flush()
    }

    /// Rebuilds the ledger by summing the usage log per series in one pass, then counting each
    /// series at once with ``Ledger/applyAggregate(_:totals:)`` in the order of its first event,
    /// which admits series (or sends them to `__other__`) exactly as the event-by-event replay
    /// does. Why: a label change (new `metric_labels`) rebuilds from the whole log at start-up,
    /// and planning every event one by one (attribution, priced event, ledger delta per event,
    /// labels extracted from JSON) took ~10 s for a million events.
    ///
    /// Each event's amounts are added with the same ``SeriesTotals`` arithmetic the replay uses, so
    /// totals are exact; standard label keys are read from their own columns, others from the
    /// attribution JSON.
    static func replayAggregated(_ db: Database, into ledger: inout Ledger) throws {
        let labelKeys = ledger.labelKeys
        let labelColumns = labelKeys.map { key in
            UsageWriter.standardColumns.contains(key) ? ", \"\(key)\"" : ", json_extract(attribution, '$.\"\(key)\"')"
        }.joined()
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT provider, model, currency, priced, input_tokens, output_tokens, cache_read_input_tokens,
                   cache_creation_input_tokens, reasoning_tokens, cost, \(MediaColumns.list)\(labelColumns)
            FROM usage_event ORDER BY seq
            """)
        var keys: [SeriesKey] = []
        var totals: [SeriesTotals] = []
        var slots: [SeriesKey: Int] = [:]
        var unpricedPairs: [Ledger.ProviderModel] = []
        var unpriced: [Ledger.ProviderModel: Int64] = [:]
        while let row = try cursor.next() {
            var values: [String] = []
            values.reserveCapacity(labelKeys.count)
            for offset in labelKeys.indices { values.append(row[17 + offset] ?? "") }
            let key = SeriesKey(provider: row[0], model: row[1], labelValues: values)
            let slot: Int
            if let existing = slots[key] {
                slot = existing
            } else {
                slot = keys.count
                slots[key] = slot
                keys.append(key)
                totals.append(SeriesTotals())
            }
            let costText: String = row[9]
            let media = MediaColumns.read(row, at: 10)
            totals[slot].add(tokens: TokenUsage(input: row[4], output: row[5], cacheRead: row[6], cacheCreation: row[7], reasoning: row[8],
                                                audioInput: media.audioInput, audioOutput: media.audioOutput),
                             media: media.media, cost: try Money.parse(costText).money, currency: row[2])
            if !(row[3] as Bool) {
                let pair = Ledger.ProviderModel(provider: key.provider, model: key.model)
                if unpriced[pair] == nil { unpricedPairs.append(pair) }
                unpriced[pair, default: 0] += 1
            }
        }
        for (key, series) in zip(keys, totals) { ledger.applyAggregate(key, totals: series) }
        for pair in unpricedPairs { ledger.applyUnpriced(provider: pair.provider, model: pair.model, events: unpriced[pair]!) }
    }

    /// SQL that renders an event's label values in the length-prefixed form, from the JSON
    /// attribution column (so keys outside the standard columns work too).
    static func attributionLabelsSQL(_ keys: [String]) -> String {
        if keys.isEmpty { return "''" }
        return keys.map { key in
            let value = "coalesce(json_extract(attribution, '$.\"\(key)\"'), '')"
            return "length(CAST(\(value) AS BLOB)) || ':' || \(value)"
        }.joined(separator: " || ")
    }

    static func encodeCosts(_ costs: [SeriesTotals.CurrencyAmount]) -> String {
        LengthPrefixedList.encode(costs.flatMap { [$0.currency, $0.amount.exactDecimal] })
    }

    static func decodeCosts(_ text: String) throws -> [SeriesTotals.CurrencyAmount] {
        guard let items = LengthPrefixedList.decode(text), items.count % 2 == 0 else {
            throw StoreError(.corrupt, "ledger_series has malformed costs \(text.debugDescription)")
        }
        return try stride(from: 0, to: items.count, by: 2).map {
            let amount = try Money.parse(items[$0 + 1]).money
            guard amount >= .zero else { throw StoreError(.corrupt, "ledger_series has a negative cost \(items[$0 + 1])") }
            return SeriesTotals.CurrencyAmount(currency: items[$0], amount: amount)
        }
    }
}
