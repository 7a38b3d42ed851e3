import Foundation
import Logging
import WardenCore
@testable import WardenStore

/// A fresh database file in its own temporary directory.
struct TemporaryDatabase {
    let directory: URL
    var path: String { directory.appendingPathComponent("tokenwarden.sqlite").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tw-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

let testLogger = Logger(label: "tokenwarden.tests")

func event(
    _ id: String, model: String = "gpt-4o", input: Int64 = 1000, output: Int64 = 100,
    team: String = "search", user: String = "u1", cost: String = "0.0035", time: Int64 = 1_700_000_000
) -> PricedEvent {
    let usage = UsageEvent(
        id: id, time: Timestamp(secondsSinceEpoch: time), provider: "openai", model: model,
        tokens: TokenUsage(input: input, output: output, cacheRead: input / 4, reasoning: output / 2),
        attribution: Attribution(["org": "acme", "team": team, "user": user]))
    return PricedEvent(event: usage, time: usage.time!, cost: try! Money(exactly: cost), currency: "USD", priced: true)
}

/// A running writer over a database, with the ledger it feeds.
struct WriterHarness {
    let store: UsageStore
    let ledger: LiveLedger
    let writer: UsageWriter

    init(path: String, labelKeys: [String] = ["org", "team"], seriesLimit: Int = 10_000) throws {
        store = try UsageStore(path: path, logger: testLogger)
        ledger = LiveLedger(try store.restoreLedger(labelKeys: labelKeys, seriesLimit: seriesLimit))
        writer = UsageWriter(store: store, ledger: ledger, logger: testLogger)
        writer.start()
    }

    func record(_ events: [PricedEvent]) async throws -> [IngestOutcome] {
        try await withCheckedThrowingContinuation { continuation in
            writer.submit(events, receivedAt: Timestamp(secondsSinceEpoch: 1_800_000_000)) { result in
                continuation.resume(with: result)
            }
        }
    }

    func shutdown() {
        writer.stop()
        store.close()
    }
}
