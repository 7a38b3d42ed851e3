import GRDB
import WardenCore

/// A filter over the usage log, as `GET /v1/usage` and `/v1/usage.csv` take it.
public struct UsageQuery: Sendable {
    /// Events with `time >= since`.
    public var since: Timestamp?
    /// Events with `time < until`.
    public var until: Timestamp?
    public var provider: String?
    public var model: String?
    /// Attribution equality filters (`team=search`); keys must be allowed by the schema.
    public var attribution: [(key: String, value: String)] = []
    /// Keyset pagination: only events recorded after this sequence number.
    public var after: Int64?
    /// Only events recorded at or before this sequence number (a streamed export's end).
    public var through: Int64?
    public var limit: Int

    public init(since: Timestamp? = nil, until: Timestamp? = nil, limit: Int = 1000) {
        self.since = since
        self.until = until
        self.limit = limit
    }
}

/// One row of the usage log as recorded.
public struct StoredUsageEvent: Sendable {
    /// Position in the log; the pagination cursor.
    public var seq: Int64
    public var id: String
    public var time: Timestamp
    public var receivedAt: Timestamp
    public var provider: String
    public var model: String
    public var tokens: TokenUsage
    /// Images and audio seconds (empty for events recorded before media units were counted).
    public var media: MediaUsage = .none
    public var cost: Money
    public var currency: String
    public var priced: Bool
    /// Canonical JSON object text of the full attribution (every key, not only metric labels).
    public var attributionJSON: String
    public var reservation: String?
}

extension UsageStore {
    /// Events matching `query`, in recording order, at most `query.limit` of them.
    public func usageEvents(_ query: UsageQuery) throws(StoreError) -> [StoredUsageEvent] {
        var (sql, arguments) = Self.selection(query, columns: """
            seq, id, time_ns, received_ns, provider, model, input_tokens, output_tokens,
            cache_read_input_tokens, cache_creation_input_tokens, reasoning_tokens, cost, currency,
            priced, attribution, reservation, \(MediaColumns.list)
            """)
        sql += " ORDER BY seq LIMIT ?"
        arguments.append(max(0, query.limit))
        do {
            return try pool.read { db in
                let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
                var events: [StoredUsageEvent] = []
                while let row = try rows.next() {
                    let costText: String = row[11]
                    let media = MediaColumns.read(row, at: 16)
                    events.append(StoredUsageEvent(
                        seq: row[0], id: row[1], time: Timestamp(nanosecondsSinceEpoch: row[2]),
                        receivedAt: Timestamp(nanosecondsSinceEpoch: row[3]), provider: row[4], model: row[5],
                        tokens: TokenUsage(input: row[6], output: row[7], cacheRead: row[8], cacheCreation: row[9], reasoning: row[10],
                                           audioInput: media.audioInput, audioOutput: media.audioOutput),
                        media: media.media, cost: try Money.parse(costText).money, currency: row[12], priced: row[13],
                        attributionJSON: row[14], reservation: row[15]))
                }
                return events
            }
        } catch {
            throw StoreError(.read, "reading usage events failed: \(error)")
        }
    }

    /// The `seq` of the `position`th event (from 1) matching `query`, or nil when fewer match:
    /// where a page of that many rows ends, known before the page is read.
    public func usageEventSeq(_ query: UsageQuery, at position: Int) throws(StoreError) -> Int64? {
        var (sql, arguments) = Self.selection(query, columns: "seq")
        sql += " ORDER BY seq LIMIT 1 OFFSET ?"
        arguments.append(max(0, position - 1))
        do {
            return try pool.read { db in try Int64.fetchOne(db, sql: sql, arguments: StatementArguments(arguments)) }
        } catch {
            throw StoreError(.read, "reading usage events failed: \(error)")
        }
    }

    private static func selection(_ query: UsageQuery, columns: String) -> (sql: String, arguments: [DatabaseValueConvertible?]) {
        var conditions: [String] = []
        var arguments: [DatabaseValueConvertible?] = []
        if let since = query.since { conditions.append("time_ns >= ?"); arguments.append(since.nanosecondsSinceEpoch) }
        if let until = query.until { conditions.append("time_ns < ?"); arguments.append(until.nanosecondsSinceEpoch) }
        if let provider = query.provider { conditions.append("provider = ?"); arguments.append(provider) }
        if let model = query.model { conditions.append("model = ?"); arguments.append(model) }
        if let after = query.after { conditions.append("seq > ?"); arguments.append(after) }
        if let through = query.through { conditions.append("seq <= ?"); arguments.append(through) }
        for (key, value) in query.attribution {
            conditions.append(attributionCondition(key))
            arguments.append(value)
        }
        var sql = "SELECT \(columns) FROM usage_event"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        return (sql, arguments)
    }

    /// `label = ?` for an attribution key: its own column for the standard keys, else a JSON
    /// lookup. Keys are validated against the schema (`[a-z_][a-z0-9_]*`) before they get here.
    static func attributionCondition(_ key: String) -> String {
        UsageWriter.standardColumns.contains(key) ? "\(key) = ?" : "json_extract(attribution, '$.\"\(key)\"') = ?"
    }

    /// Number of events in the log (for the landing page and tests).
    public func usageEventCount() throws(StoreError) -> Int {
        do {
            return try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM usage_event") ?? 0 }
        } catch {
            throw StoreError(.read, "counting usage events failed: \(error)")
        }
    }
}
