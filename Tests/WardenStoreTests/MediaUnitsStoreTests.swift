import Foundation
import GRDB
import Testing
import WardenCore
@testable import WardenStore

/// Media units in the usage log and the ledger checkpoint, and databases written before they existed.
struct MediaUnitsStoreTests {
    static func mediaEvent(_ id: String) -> PricedEvent {
        let usage = UsageEvent(
            id: id, time: Timestamp(secondsSinceEpoch: 1_700_000_000), provider: "openai", model: "gpt-realtime",
            tokens: TokenUsage(input: 1000, output: 500, cacheRead: 100, audioInput: 600, audioOutput: 300),
            media: MediaUsage(images: 2, imageSize: "1024x1024", imageQuality: "hd",
                              audioInputSeconds: MediaSeconds(microseconds: 12_500_000),
                              audioOutputSeconds: MediaSeconds(microseconds: 1)),
            attribution: Attribution(["org": "acme", "team": "voice"]))
        return PricedEvent(event: usage, time: usage.time!, cost: try! Money(exactly: "0.051"), currency: "USD", priced: true)
    }

    @Test func aDatabaseFromBeforeMediaUnitsMigratesAndReadsItsEventsAsTextCalls() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        try Self.writeDatabaseFromBeforeMediaUnits(at: database.path)
        let harness = try WriterHarness(path: database.path)
        let old = try harness.store.usageEvents(UsageQuery())
        #expect(old.map(\.id) == ["old-1"])
        #expect(old[0].media == .none)
        #expect(old[0].tokens == TokenUsage(input: 1000, output: 100, cacheRead: 250, reasoning: 50))
        let totals = harness.ledger.read { $0.grandTotal }
        #expect(totals.uncachedInput == 750)
        #expect(totals.output == 100)
        #expect(totals.images == 0)

        _ = try await harness.record([Self.mediaEvent("new-1")])
        let events = try harness.store.usageEvents(UsageQuery())
        #expect(events.map(\.id) == ["old-1", "new-1"])
        #expect(events[1].media == Self.mediaEvent("new-1").event.media)
        #expect(events[1].tokens == Self.mediaEvent("new-1").event.tokens)
        harness.shutdown()
    }

    /// A database at the last schema before media units, holding one text event.
    static func writeDatabaseFromBeforeMediaUnits(at path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "v10-approvals")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO usage_event (id, time_ns, received_ns, provider, model, input_tokens, output_tokens,
                    cache_read_input_tokens, cache_creation_input_tokens, reasoning_tokens, cost, currency, priced,
                    org, team, attribution)
                VALUES ('old-1', 1700000000000000000, 1700000000000000000, 'openai', 'gpt-4o', 1000, 100, 250, 0, 50,
                        '0.0035', 'USD', 1, 'acme', 'search', '{"org":"acme","team":"search"}')
                """)
        }
        try queue.close()
    }

    @Test func mediaCountersSurviveARestartThroughTheCheckpoint() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let first = try WriterHarness(path: database.path)
        _ = try await first.record([Self.mediaEvent("a"), Self.mediaEvent("b")])
        let before = first.ledger.read { $0.grandTotal }
        first.shutdown()
        #expect(before.images == 4)
        #expect(before.audioInputSeconds == MediaSeconds(microseconds: 25_000_000))
        #expect(before.audioInput == 1200)
        #expect(before.audioOutput == 600)
        #expect(before.output == 400)

        let second = try WriterHarness(path: database.path)
        defer { second.shutdown() }
        #expect(second.ledger.read { $0.grandTotal } == before)
    }

    @Test func aRebuildFromTheUsageLogCountsMediaUnitsToo() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let first = try WriterHarness(path: database.path)
        _ = try await first.record([Self.mediaEvent("a"), Self.mediaEvent("b")])
        let before = first.ledger.read { $0.grandTotal }
        first.shutdown()
        // Another label set makes the store rebuild the ledger from the usage log.
        let rebuilt = try WriterHarness(path: database.path, labelKeys: ["org"])
        defer { rebuilt.shutdown() }
        let after = rebuilt.ledger.read { $0.grandTotal }
        #expect(after.images == before.images)
        #expect(after.audioInputSeconds == before.audioInputSeconds)
        #expect(after.audioOutputSeconds == before.audioOutputSeconds)
        #expect(after.audioInput == before.audioInput)
        #expect(after.output == before.output)
    }
}
