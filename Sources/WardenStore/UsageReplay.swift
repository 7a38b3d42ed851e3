import GRDB
import WardenCore
import WardenFormats

extension UsageStore {
    /// Streams recorded events with `time >= since`, in event-time order, as priced events:
    /// what the rule engine replays to rebuild budget usage at start-up and after a reload.
    ///
    /// Standard attribution keys come from their own columns; the attribution JSON is parsed only
    /// when the deployment declares extra keys (`extraKeys`), which keeps a replay of a month of
    /// traffic to plain column reads.
    public func replayEvents(since: Timestamp, extraKeys: [String], _ body: (PricedEvent) -> Void) throws(StoreError) {
        let sql = """
            SELECT id, time_ns, provider, model, input_tokens, output_tokens, cache_read_input_tokens,
                   cache_creation_input_tokens, reasoning_tokens, cost, currency, priced,
                   org, team, project, user, agent, session, feature, environment, attribution, reservation,
                   \(MediaColumns.list)
            FROM usage_event WHERE time_ns >= ? ORDER BY time_ns, seq
            """
        let columns = UsageWriter.standardColumns
        do {
            try pool.read { db in
                let rows = try Row.fetchCursor(db, sql: sql, arguments: [since.nanosecondsSinceEpoch])
                while let row = try rows.next() {
                    var attribution = Attribution()
                    for (offset, key) in columns.enumerated() {
                        if let value: String = row[12 + offset] { attribution[key] = value }
                    }
                    if !extraKeys.isEmpty, let json: String = row[20],
                       let document = try? JSONDocument(parsing: json) {
                        for (key, value) in document.root.members where extraKeys.contains(key) {
                            if let text = value.string { attribution[key] = text }
                        }
                    }
                    let time = Timestamp(nanosecondsSinceEpoch: row[1])
                    let costText: String = row[9]
                    let media = MediaColumns.read(row, at: 22)
                    let event = UsageEvent(
                        id: row[0], time: time, provider: row[2], model: row[3],
                        tokens: TokenUsage(input: row[4], output: row[5], cacheRead: row[6], cacheCreation: row[7], reasoning: row[8],
                                           audioInput: media.audioInput, audioOutput: media.audioOutput),
                        media: media.media, attribution: attribution, reservation: row[21])
                    body(PricedEvent(event: event, time: time, cost: try Money.parse(costText).money,
                                     currency: row[10], priced: row[11]))
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.read, "replaying usage events failed: \(error)")
        }
    }
}
