import GRDB
import Testing
import WardenCore
@testable import WardenStore

/// A rebuild sums the usage log per series (`replayAggregated`); it must build exactly the ledger the
/// event-by-event replay builds: same series in the same order, same totals to the atto, same
/// `__other__` admissions and overflow and unpriced counts, for any label set and series limit.
@Suite struct LedgerRebuildTests {
    static let teams = (0..<40).map { "team-\($0)" }
    static let models = [("openai", "gpt-4o"), ("openai", "gpt-4o-mini"), ("anthropic", "claude-sonnet-4"), ("bedrock", "nova-pro")]

    static func randomEvents(seed: UInt64, count: Int) -> [PricedEvent] {
        var random = SeededGenerator(seed: seed)
        return (0..<count).map { n in
            let (provider, model) = models[Int.random(in: 0..<models.count, using: &random)]
            var labels = [("org", Bool.random(using: &random) ? "acme" : "globex"),
                          ("team", teams[Int.random(in: 0..<teams.count, using: &random)]),
                          ("user", "u\(Int.random(in: 0..<25, using: &random))")]
            if Int.random(in: 0..<4, using: &random) == 0 { labels.append(("project", "p\(n % 3)")) }
            // A declared extra key: it has no column and is read from the attribution JSON.
            if n % 5 == 0 { labels.append(("region", n % 10 == 0 ? "eu" : "us")) }
            let input = Int64.random(in: 0...200_000, using: &random)
            let output = Int64.random(in: 0...8_000, using: &random)
            let tokens = TokenUsage(input: input, output: output, cacheRead: input / 3, cacheCreation: input / 7, reasoning: output / 4)
            // Up to 18 decimals and whole amounts, so the split sums carry across every boundary.
            let attos = Int128(Int64.random(in: 0...5_000_000_000_000_000_000 / 1_000, using: &random)) * Int128(Int.random(in: 1...1_000, using: &random))
            let event = UsageEvent(id: "e\(seed)-\(n)", time: Timestamp(secondsSinceEpoch: 1_700_000_000 + Int64(n)),
                                   provider: provider, model: model, tokens: tokens, attribution: Attribution(labels))
            return PricedEvent(event: event, time: event.time!, cost: Money(attos: attos),
                               currency: Int.random(in: 0..<5, using: &random) == 0 ? "EUR" : "USD",
                               priced: Int.random(in: 0..<8, using: &random) != 0)
        }
    }

    static func record(_ events: [PricedEvent], in database: TemporaryDatabase) async throws {
        let harness = try WriterHarness(path: database.path)
        for start in stride(from: 0, to: events.count, by: 250) {
            _ = try await harness.record(Array(events[start..<min(start + 250, events.count)]))
        }
        harness.shutdown()
    }

    static func ledgers(_ store: UsageStore, labelKeys: [String], seriesLimit: Int) throws -> (aggregated: Ledger, replayed: Ledger) {
        try store.pool.read { db in
            var aggregated = Ledger(labelKeys: labelKeys, seriesLimit: seriesLimit)
            try UsageStore.replayAggregated(db, into: &aggregated)
            var replayed = Ledger(labelKeys: labelKeys, seriesLimit: seriesLimit)
            try UsageStore.replay(db, into: &replayed, after: 0)
            return (aggregated, replayed)
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func summingPerSeriesBuildsTheLedgerTheEventReplayBuilds(seed: UInt64) async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        try await Self.record(Self.randomEvents(seed: seed, count: 2_000), in: database)
        let store = try UsageStore(path: database.path, logger: testLogger)
        defer { store.close() }
        // Small limits push label sets to per-model `__other__` series and, at 1 (overflow limit
        // 100 per model), keep the unpriced pairs under their own limit's test too.
        let shapes: [([String], Int)] = [(["org", "team"], 10_000), (["org", "user"], 12), (["team", "project"], 1), (["region", "team"], 50),
                                         ([], 3), (["user"], 25)]
        for (labelKeys, seriesLimit) in shapes {
            let (ledger, replayed) = try Self.ledgers(store, labelKeys: labelKeys, seriesLimit: seriesLimit)
            #expect(ledger.keys == replayed.keys, "series order for \(labelKeys) limit \(seriesLimit)")
            #expect(ledger.totals == replayed.totals, "totals for \(labelKeys) limit \(seriesLimit)")
            #expect(ledger.unpriced == replayed.unpriced)
            #expect(ledger.overflowEvents == replayed.overflowEvents, "overflow events for \(labelKeys) limit \(seriesLimit)")
            #expect(ledger.grandTotal.requests == 2_000)
        }
    }
}
