import Foundation
import GRDB
import Synchronization
import Testing
import WardenCore
@testable import WardenStore

private struct StoppedClock: WallClock {
    let time: Timestamp
    func now() -> Timestamp { time }
}

/// A clock the test moves.
private final class SteppedClock: WallClock {
    let time: Mutex<Timestamp>
    init(_ time: Timestamp) { self.time = Mutex(time) }
    func now() -> Timestamp { time.withLock { $0 } }
    func set(_ new: Timestamp) { time.withLock { $0 = new } }
}

/// The ledger's period spend is counted by the writer at each commit, persisted with the ledger
/// checkpoint, and restored at start-up from the checkpoint for the periods whose window has not
/// changed and from the usage log for the others; every way must give the amounts the writer
/// counted.
@Suite struct PeriodSpendRestoreTests {
    /// 2023-11-14T22:13:20Z, a Tuesday.
    static let now = Timestamp(secondsSinceEpoch: 1_700_000_000)

    @Test func aRestartRestoresThePeriodSpendTheWriterCounted() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let store = try UsageStore(path: database.path, logger: testLogger)
        let ledger = LiveLedger(try store.restoreLedger(labelKeys: ["org", "team"], seriesLimit: 2))
        let writer = UsageWriter(store: store, ledger: ledger, logger: testLogger, reporting: .utc,
                                 clock: StoppedClock(time: Self.now))
        writer.start()
        let day: Int64 = 86_400
        let events = [
            event("a", team: "search", cost: "0.000000000000000001", time: 1_700_000_000),
            event("b", team: "search", cost: "12872.58", time: 1_700_000_000 - 3600),
            event("c", team: "ads", cost: "0.5", time: 1_700_000_000 - day),       // Monday: this week
            event("d", team: "research", cost: "7", time: 1_700_000_000 - 20 * day),  // October: not this month
            event("e", team: "interns", cost: "0.25", time: 1_700_000_000),         // past the limit: __other__
        ]
        for event in events {
            _ = try await withCheckedThrowingContinuation { continuation in
                writer.submit([event], receivedAt: Self.now) { continuation.resume(with: $0) }
            }
        }
        writer.stop()
        let counted = ledger.read { $0 }
        #expect(counted.reportingWindows == ReportingCalendar.utc.windows(containing: Self.now))
        store.close()

        let reopened = try UsageStore(path: database.path, logger: testLogger)
        defer { reopened.close() }
        let restored = try reopened.restoreLedger(labelKeys: ["org", "team"], seriesLimit: 2,
                                                  reportingWindows: ReportingCalendar.utc.windows(containing: Self.now))
        #expect(restored.keys == counted.keys)
        #expect(restored.periodSpend == counted.periodSpend)
        let search = try #require(restored.seriesIndex(of: SeriesKey(provider: "openai", model: "gpt-4o", labelValues: ["acme", "search"])))
        let windows = try #require(restored.reportingWindows)
        #expect(restored.periodSpend[search].amounts(.day, windowStart: windows.day.start).amount(in: "USD")
                == (try Money(exactly: "12872.580000000000000001")))
        let other = try #require(restored.seriesIndex(of: SeriesKey(provider: "openai", model: "gpt-4o", labelValues: ["__other__", "__other__"])))
        #expect(restored.periodSpend[other].amounts(.month, windowStart: windows.month.start).amount(in: "USD")
                == (try Money(exactly: "0.25")))
    }

    @Test func theWriterStartsANewDayWhenItsClockPassesMidnight() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let store = try UsageStore(path: database.path, logger: testLogger)
        defer { store.close() }
        let ledger = LiveLedger(try store.restoreLedger(labelKeys: ["org", "team"], seriesLimit: 100))
        let midnight: Int64 = 1_700_006_400  // 2023-11-15T00:00:00Z
        let clock = SteppedClock(Timestamp(secondsSinceEpoch: midnight - 1))
        let writer = UsageWriter(store: store, ledger: ledger, logger: testLogger, reporting: .utc, clock: clock)
        writer.start()
        defer { writer.stop() }
        func record(_ event: PricedEvent) async throws {
            _ = try await withCheckedThrowingContinuation { continuation in
                writer.submit([event], receivedAt: clock.now()) { continuation.resume(with: $0) }
            }
        }
        try await record(event("a", cost: "2.5", time: midnight - 1))
        clock.set(Timestamp(secondsSinceEpoch: midnight))
        try await record(event("b", cost: "0.75", time: midnight))
        let (spend, windows) = ledger.read { ($0.periodSpend[0], $0.reportingWindows) }
        #expect(windows?.day.start == Timestamp(secondsSinceEpoch: midnight))
        #expect(spend.amounts(.day, windowStart: Timestamp(secondsSinceEpoch: midnight)).amount(in: "USD") == (try Money(exactly: "0.75")))
        #expect(spend.amounts(.week, windowStart: windows!.week.start).amount(in: "USD") == (try Money(exactly: "3.25")))
    }

    /// Tuesday's events, and one dated Wednesday 01:00 (a client clock ahead of ours).
    static let tuesdayAndWednesday = [
        event("a", team: "search", cost: "1.25", time: 1_700_000_000),
        event("b", team: "ads", cost: "0.5", time: 1_700_000_000 - 3600),
        event("c", team: "search", cost: "2", time: 1_700_010_000),  // 2023-11-15T00:46:40Z
    ]

    /// Records `events` with a writer whose clock stands at ``now`` and stops it (which writes a
    /// checkpoint); returns the ledger it counted.
    private func recordAndStop(_ events: [PricedEvent], at path: String) async throws -> Ledger {
        let store = try UsageStore(path: path, logger: testLogger)
        defer { store.close() }
        let ledger = LiveLedger(try store.restoreLedger(labelKeys: ["org", "team"], seriesLimit: 100,
                                                        reportingWindows: ReportingCalendar.utc.windows(containing: Self.now)))
        let writer = UsageWriter(store: store, ledger: ledger, logger: testLogger, reporting: .utc,
                                 clock: StoppedClock(time: Self.now))
        writer.start()
        for event in events {
            _ = try await withCheckedThrowingContinuation { continuation in
                writer.submit([event], receivedAt: Self.now) { continuation.resume(with: $0) }
            }
        }
        writer.stop()
        return ledger.read { $0 }
    }

    private func restore(_ path: String, at instant: Timestamp = now) throws -> Ledger {
        let store = try UsageStore(path: path, logger: testLogger)
        defer { store.close() }
        return try store.restoreLedger(labelKeys: ["org", "team"], seriesLimit: 100,
                                       reportingWindows: ReportingCalendar.utc.windows(containing: instant))
    }

    private func alter(_ path: String, _ sql: String) async throws {
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in try db.execute(sql: sql) }
        try queue.close()
    }

    /// What each series spent in each period of the ledger's windows, by series.
    private func spend(_ ledger: Ledger) -> [SeriesKey: [String]] {
        guard let windows = ledger.reportingWindows else { return [:] }
        var spend: [SeriesKey: [String]] = [:]
        for (index, key) in ledger.keys.enumerated() {
            spend[key] = ReportingPeriod.allCases.map { period in
                ledger.periodSpend[index].amounts(period, windowStart: windows[period].start).amounts
                    .map { "\($0.amount.exactDecimal) \($0.currency)" }.joined(separator: ",")
            }
        }
        return spend
    }

    private func amount(_ ledger: Ledger, team: String, _ period: ReportingPeriod) -> Money? {
        guard let index = ledger.seriesIndex(of: SeriesKey(provider: "openai", model: "gpt-4o", labelValues: ["acme", team])),
              let windows = ledger.reportingWindows else { return nil }
        return ledger.periodSpend[index].amounts(period, windowStart: windows[period].start).amount(in: "USD")
    }

    @Test func aRestartInTheSameWindowsTakesThePeriodSpendFromTheCheckpointWithoutReadingTheEvents() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let counted = try await recordAndStop(Self.tuesdayAndWednesday, at: database.path)
        // Were the events read, these costs would show.
        try await alter(database.path, "UPDATE usage_event SET cost = '1000'")
        let restored = try restore(database.path)
        #expect(spend(restored) == spend(counted))
        #expect(amount(restored, team: "search", .day) == (try Money(exactly: "3.25")))
    }

    @Test func aRestartOnTheNextDayCountsTheNewDayFromTheUsageLogAndKeepsTheWeekAndMonth() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let counted = try await recordAndStop(Self.tuesdayAndWednesday, at: database.path)
        let wednesday = Timestamp(secondsSinceEpoch: 1_700_020_000)
        let restored = try restore(database.path, at: wednesday)
        #expect(restored.reportingWindows == ReportingCalendar.utc.windows(containing: wednesday))
        #expect(amount(restored, team: "search", .day) == (try Money(exactly: "2")))
        #expect(amount(restored, team: "ads", .day) == Money.zero)
        #expect(amount(restored, team: "search", .week) == amount(counted, team: "search", .week))
        #expect(amount(restored, team: "search", .month) == (try Money(exactly: "3.25")))
        // The recounted day is persisted: the next restart on Wednesday reads it from the checkpoint.
        try await alter(database.path, "UPDATE usage_event SET cost = '1000'")
        #expect(spend(try restore(database.path, at: wednesday)) == spend(restored))
    }

    @Test func eventsRecordedAfterTheCheckpointAreCountedInThePeriodSpend() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let counted = try await recordAndStop(Self.tuesdayAndWednesday, at: database.path)
        // As after a crash before the first checkpoint: every event is to be replayed.
        try await alter(database.path, "DELETE FROM ledger_series; UPDATE meta SET value = '0' WHERE key = 'ledger.checkpoint_seq'")
        let restored = try restore(database.path)
        #expect(spend(restored) == spend(counted))
        #expect(restored.grandTotal == counted.grandTotal)
    }

    @Test func aCheckpointWithoutPeriodSpendIsCountedFromTheUsageLog() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let counted = try await recordAndStop(Self.tuesdayAndWednesday, at: database.path)
        try await alter(database.path, "UPDATE ledger_series SET period_spend = NULL WHERE rowid = (SELECT min(rowid) FROM ledger_series)")
        #expect(spend(try restore(database.path)) == spend(counted))
    }

    @Test func aChangedReportingZoneCountsEveryPeriodAgain() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        _ = try await recordAndStop(Self.tuesdayAndWednesday, at: database.path)
        let store = try UsageStore(path: database.path, logger: testLogger)
        defer { store.close() }
        let tokyo = ReportingCalendar(timeZone: try TimeZoneRules(name: "Asia/Tokyo", posixRule: "JST-9"))
        let restored = try store.restoreLedger(labelKeys: ["org", "team"], seriesLimit: 100,
                                               reportingWindows: tokyo.windows(containing: Self.now))
        // Tuesday 22:13 UTC is Wednesday 07:13 in Tokyo, whose day began at 15:00 UTC on Tuesday:
        // it holds all three events, where the checkpoint's UTC day held 1.25 of search's.
        #expect(amount(restored, team: "search", .day) == (try Money(exactly: "3.25")))
        #expect(amount(restored, team: "ads", .day) == (try Money(exactly: "0.5")))
    }
}
