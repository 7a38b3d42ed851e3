import Testing
@testable import WardenCore

/// The spend page and `tokenwarden_user_spend` count "today" and "this month" in the reporting zone.
@Suite struct SpendSummaryZoneTests {
    static func record(_ time: String, user: String) -> SpendSummary.Record {
        SpendSummary.Record(time: TimeZoneTestData.timestamp(time), model: "gpt-4o", team: "search", session: nil, user: user,
                            cost: Money(attos: 1_000_000_000_000_000_000), currency: "USD", tokens: 10)
    }

    @Test func todayBeginsAtMidnightInTheReportingZone() throws {
        let tokyo = ReportingCalendar(timeZone: try TimeZoneTestData.rules("Asia/Tokyo"))
        // 00:30 in Tokyo on the 2nd is 15:30 UTC on the 1st; the event at 15:10 UTC is 00:10 there.
        let now = TimeZoneTestData.timestamp("2026-06-01T15:30:00Z")
        var builder = SpendSummary.Builder(now: now, calendar: tokyo)
        builder.add(Self.record("2026-06-01T15:10:00Z", user: "ana"))
        builder.add(Self.record("2026-06-01T14:50:00Z", user: "ben"))
        let summary = builder.summary(truncated: false)
        #expect(summary.usersToday.map(\.key) == ["ana"])
        #expect(Set(summary.usersMonth.map(\.key)) == ["ana", "ben"])
        // In UTC both are today.
        var utc = SpendSummary.Builder(now: now, calendar: .utc)
        utc.add(Self.record("2026-06-01T15:10:00Z", user: "ana"))
        utc.add(Self.record("2026-06-01T14:50:00Z", user: "ben"))
        #expect(utc.summary(truncated: false).usersToday.count == 2)
    }

    @Test func theMonthScanStartsAtTheFirstInTheReportingZone() throws {
        let tokyo = ReportingCalendar(timeZone: try TimeZoneTestData.rules("Asia/Tokyo"))
        let window = SpendSummary.window(containing: TimeZoneTestData.timestamp("2026-06-01T15:30:00Z"), calendar: tokyo)
        #expect(window.monthStart == TimeZoneTestData.timestamp("2026-05-31T15:00:00Z").nanosecondsSinceEpoch)
    }
}
