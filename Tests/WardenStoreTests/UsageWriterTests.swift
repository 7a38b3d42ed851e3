import Foundation
import Testing
import WardenCore
@testable import WardenStore

@Suite struct UsageWriterTests {
    @Test func acknowledgedEventsAreCountedInTheLedger() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let harness = try WriterHarness(path: database.path)
        defer { harness.shutdown() }

        let outcomes = try await harness.record([event("a", cost: "0.5"), event("b", team: "ads", cost: "0.25")])

        #expect(outcomes.map(\.id) == ["a", "b"])
        #expect(outcomes.allSatisfy { !$0.duplicate })
        let total = harness.ledger.read { $0.grandTotal }
        #expect(total.requests == 2)
        #expect(total.cost(in: "USD") == (try Money(exactly: "0.75")))
        #expect(total.uncachedInput + total.cacheRead + total.cacheCreation + total.output == 2 * 1100)
        #expect(harness.ledger.read { $0.seriesCount } == 2)
    }

    @Test func aRepeatedIdIsReportedAsDuplicateWithItsOriginalCost() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let harness = try WriterHarness(path: database.path)
        defer { harness.shutdown() }

        _ = try await harness.record([event("same", cost: "1.5")])
        let again = try await harness.record([event("same", cost: "9.99"), event("other")])

        #expect(again[0].duplicate)
        #expect(again[0].cost == (try Money(exactly: "1.5")))
        #expect(!again[1].duplicate)
        #expect(harness.ledger.read { $0.grandTotal.requests } == 2)
        #expect(harness.ledger.read { $0.duplicateEvents } == 1)
    }

    @Test func aRepeatedIdWithinOneBatchIsCountedOnce() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let harness = try WriterHarness(path: database.path)
        defer { harness.shutdown() }

        let outcomes = try await harness.record([event("x", cost: "2"), event("x", cost: "3")])

        #expect(outcomes.map(\.duplicate) == [false, true])
        #expect(outcomes[1].cost == (try Money(exactly: "2")))
        #expect(harness.ledger.read { $0.grandTotal.requests } == 1)
    }

    @Test func countersAndDeduplicationSurviveAReopen() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        var harness = try WriterHarness(path: database.path)
        _ = try await harness.record((0..<50).map { event("e\($0)", team: "t\($0 % 7)", cost: "0.000001230750000001") })
        let before = harness.ledger.read { ledger in (ledger.keys, ledger.totals, ledger.duplicateEvents) }
        harness.shutdown()

        harness = try WriterHarness(path: database.path)
        defer { harness.shutdown() }
        let after = harness.ledger.read { ledger in (ledger.keys, ledger.totals, ledger.duplicateEvents) }
        #expect(after.0 == before.0)
        #expect(after.1 == before.1)
        let replay = try await harness.record([event("e3")])
        #expect(replay[0].duplicate)
        #expect(replay[0].cost == (try Money(exactly: "0.000001230750000001")))
    }

    @Test func changingTheLabelKeysRebuildsTheLedgerWithTheSameTotals() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        var harness = try WriterHarness(path: database.path, labelKeys: ["org", "team"])
        _ = try await harness.record((0..<30).map { event("e\($0)", team: "t\($0 % 3)", user: "u\($0 % 5)", cost: "0.1") })
        let before = harness.ledger.read { $0.grandTotal }
        harness.shutdown()

        harness = try WriterHarness(path: database.path, labelKeys: ["org", "user"])
        defer { harness.shutdown() }
        #expect(harness.ledger.read { $0.grandTotal } == before)
        #expect(harness.ledger.read { $0.seriesCount } == 5)
        #expect(harness.ledger.read { $0.keys.map(\.labelValues) }.allSatisfy { $0[0] == "acme" })
    }

    @Test func concurrentSubmissionsAreAllAcknowledgedExactlyOnce() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let harness = try WriterHarness(path: database.path)
        defer { harness.shutdown() }

        let outcomes = try await withThrowingTaskGroup(of: [IngestOutcome].self) { group in
            for request in 0..<64 {
                group.addTask { try await harness.record((0..<10).map { event("r\(request)-\($0)", cost: "0.01") }) }
            }
            return try await group.reduce(into: [IngestOutcome]()) { $0 += $1 }
        }

        #expect(outcomes.count == 640)
        #expect(Set(outcomes.map(\.id)).count == 640)
        #expect(harness.ledger.read { $0.grandTotal.cost(in: "USD") } == (try Money(exactly: "6.4")))
        #expect(try harness.store.usageEventCount() == 640)
    }

    @Test func submissionsAfterStopFailWithoutRecording() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let harness = try WriterHarness(path: database.path)
        harness.writer.stop()
        defer { harness.store.close() }

        await #expect(throws: StoreError.self) { try await harness.record([event("late")]) }
        #expect(try harness.store.usageEventCount() == 0)
    }

    @Test func rejectedCountsArePersisted() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        var harness = try WriterHarness(path: database.path)
        harness.writer.noteRejected(reason: "invalid", count: 3)
        _ = try await harness.record([event("a")])
        harness.shutdown()

        harness = try WriterHarness(path: database.path)
        defer { harness.shutdown() }
        #expect(harness.ledger.read { $0.rejectedEvents } == ["invalid": 3])
    }
}
