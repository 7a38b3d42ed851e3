import Foundation
import GRDB
import Testing
import WardenCore
@testable import WardenStore

/// The ledger checkpoint is a cache of the usage log. Whatever state it is found in, a start
/// rebuilds from the log instead of refusing to start (or crashing on a value it cannot read),
/// and the rebuilt counters equal those of an undamaged start.
@Suite struct CorruptCheckpointTests {
    /// Each shape a damaged or tampered checkpoint can take, as the SQL that makes it (NULLs are
    /// left out: the schema's NOT NULL constraints refuse them).
    static let damages: [(name: String, sql: String)] = [
        ("labels cut short by a NUL read back as a C string", "UPDATE ledger_series SET labels = '4:acme6:sea' WHERE rowid = (SELECT min(rowid) FROM ledger_series)"),
        ("labels that are not a length-prefixed list", "UPDATE ledger_series SET labels = 'garbage' WHERE rowid = (SELECT min(rowid) FROM ledger_series)"),
        ("labels for the wrong number of keys", "UPDATE ledger_series SET labels = '4:acme' WHERE rowid = (SELECT min(rowid) FROM ledger_series)"),
        ("labels that are a blob", "UPDATE ledger_series SET labels = x'00ff' WHERE rowid = (SELECT min(rowid) FROM ledger_series)"),
        ("a count that is text", "UPDATE ledger_series SET output = 'many' WHERE rowid = (SELECT min(rowid) FROM ledger_series)"),
        ("a negative count", "UPDATE ledger_series SET cache_read = -5 WHERE rowid = (SELECT min(rowid) FROM ledger_series)"),
        ("a count that is a fraction", "UPDATE ledger_series SET reasoning = 1.5 WHERE rowid = (SELECT min(rowid) FROM ledger_series)"),
        ("costs that are not a list", "UPDATE ledger_series SET costs = 'x' WHERE rowid = (SELECT min(rowid) FROM ledger_series)"),
        ("costs with an odd number of items", "UPDATE ledger_series SET costs = '3:USD' WHERE rowid = (SELECT min(rowid) FROM ledger_series)"),
        ("a cost that is not a number", "UPDATE ledger_series SET costs = '3:USD3:abc' WHERE rowid = (SELECT min(rowid) FROM ledger_series)"),
        ("a negative cost", "UPDATE ledger_series SET costs = '3:USD2:-1' WHERE rowid = (SELECT min(rowid) FROM ledger_series)"),
        ("period spend that is not a list", "UPDATE ledger_series SET period_spend = 'x' WHERE rowid = (SELECT min(rowid) FROM ledger_series)"),
        ("period spend with a window start that is not a number", "UPDATE ledger_series SET period_spend = '1:x0:1:00:1:00:' WHERE rowid = (SELECT min(rowid) FROM ledger_series)"),
        ("period spend with a negative cost", "UPDATE ledger_series SET period_spend = '1:09:3:USD2:-11:00:1:00:' WHERE rowid = (SELECT min(rowid) FROM ledger_series)"),
        ("reporting windows that are not a list", "UPDATE meta SET value = 'x' WHERE key = 'ledger.checkpoint_windows'"),
        ("an unknown counter", "INSERT INTO ledger_counter(name, labels, value) VALUES ('mystery', '', 1)"),
        ("a counter with malformed labels", "UPDATE ledger_counter SET labels = '9:x' WHERE name = 'rejected'"),
        ("a counter that is text", "UPDATE ledger_counter SET value = 'lots' WHERE name = 'duplicate'"),
        ("a checkpoint sequence that is not a number", "UPDATE meta SET value = 'abc' WHERE key = 'ledger.checkpoint_seq'"),
        ("a checkpoint sequence past the log", "UPDATE meta SET value = '999999' WHERE key = 'ledger.checkpoint_seq'"),
        ("a negative checkpoint sequence", "UPDATE meta SET value = '-3' WHERE key = 'ledger.checkpoint_seq'"),
    ]

    /// The events' own day: their period spend is restored too.
    static let windows = ReportingCalendar.utc.windows(containing: Timestamp(secondsSinceEpoch: 1_700_000_000))

    static let events = (0..<30).map { number in
        event("e\(number)", input: Int64(1000 + number), team: number % 3 == 0 ? "ads" : "search", cost: "0.00\(number + 1)")
    }

    @Test(arguments: damages.map(\.name))
    func aDamagedCheckpointIsRebuiltFromTheUsageLog(damage: String) async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let harness = try WriterHarness(path: database.path)
        _ = try await harness.record(Self.events)
        harness.writer.noteRejected(reason: "invalid", count: 2)
        _ = try await harness.record([Self.events[0]])  // a duplicate, and a commit that writes the rejection
        harness.shutdown()

        let expected = try UsageStore(path: database.path, logger: testLogger)
            .restoreLedger(labelKeys: ["org", "team"], seriesLimit: 10_000, reportingWindows: Self.windows)
        let sql = Self.damages.first { $0.name == damage }!.sql
        let queue = try DatabaseQueue(path: database.path)
        try await queue.write { db in try db.execute(sql: sql) }
        try queue.close()

        let store = try UsageStore(path: database.path, logger: testLogger)
        defer { store.close() }
        let restored = try store.restoreLedger(labelKeys: ["org", "team"], seriesLimit: 10_000, reportingWindows: Self.windows)
        #expect(restored.grandTotal == expected.grandTotal)
        #expect(restored.grandPeriodSpend == expected.grandPeriodSpend)
        #expect(restored.seriesCount == expected.seriesCount)
        #expect(restored.grandTotal.requests == 30)
        // The rebuilt checkpoint is readable again: the next start needs no rebuild.
        let again = try store.restoreLedger(labelKeys: ["org", "team"], seriesLimit: 10_000)
        #expect(again.grandTotal == expected.grandTotal)
    }
}

private extension Ledger {
    /// Every series' spend in each period of the ledger's windows, summed.
    var grandPeriodSpend: [Money] {
        guard let windows = reportingWindows else { return [] }
        return ReportingPeriod.allCases.map { period in
            periodSpend.reduce(Money.zero) { sum, spend in
                sum + spend.amounts(period, windowStart: windows[period].start).amount(in: "USD")
            }
        }
    }
}
