import Foundation
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

/// The ledger's period spend is counted by the writer at each commit and restored from the usage
/// log at start-up; both must give the same amounts.
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
        var restored = try reopened.restoreLedger(labelKeys: ["org", "team"], seriesLimit: 2)
        try reopened.restorePeriodSpend(into: &restored, windows: ReportingCalendar.utc.windows(containing: Self.now))
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
}
