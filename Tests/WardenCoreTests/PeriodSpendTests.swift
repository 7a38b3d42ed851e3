import Testing
@testable import WardenCore

/// The ledger's spend in the current reporting day, week and month, with the windows a writer
/// would take from a fixed clock.
@Suite struct PeriodSpendTests {
    static func time(_ text: String) -> Timestamp { TimeZoneTestData.timestamp(text) }

    static func event(_ id: String, at time: String, team: String = "search", cents: Int128 = 125) -> PricedEvent {
        let instant = Self.time(time)
        let event = UsageEvent(id: id, time: instant, provider: "openai", model: "gpt-4o",
                               tokens: TokenUsage(input: 10, output: 1, cacheRead: 0, cacheCreation: 0, reasoning: 0),
                               attribution: Attribution(["team": team]))
        return PricedEvent(event: event, time: instant, cost: Money(attos: cents * 10_000_000_000_000_000), currency: "USD", priced: true)
    }

    /// Plans and applies `events` as a commit at `now` does.
    static func record(_ events: [PricedEvent], at now: String, calendar: ReportingCalendar, into ledger: inout Ledger) {
        var initial = Ledger.Delta()
        initial.windows = calendar.windows(containing: time(now))
        ledger.apply(ledger.plan(events, into: initial))
    }

    /// What the series of `team` spent in `period`'s current window, in cents.
    static func cents(_ ledger: Ledger, _ period: ReportingPeriod, team: String = "search") -> Int128? {
        guard let index = ledger.seriesIndex(of: SeriesKey(provider: "openai", model: "gpt-4o", labelValues: [team])),
              let windows = ledger.reportingWindows else { return nil }
        let amount = ledger.periodSpend[index].amounts(period, windowStart: windows[period].start).amount(in: "USD")
        return amount.attos / 10_000_000_000_000_000
    }

    @Test func anEventCountsInItsDayWeekAndMonth() {
        var ledger = Ledger(labelKeys: ["team"])
        Self.record([Self.event("a", at: "2026-03-18T10:00:00Z"), Self.event("b", at: "2026-03-18T10:00:01Z", cents: 1)],
                    at: "2026-03-18T10:00:02Z", calendar: .utc, into: &ledger)
        #expect(Self.cents(ledger, .day) == 126)
        #expect(Self.cents(ledger, .week) == 126)
        #expect(Self.cents(ledger, .month) == 126)
        #expect(ledger.totals[0].cost(in: "USD") == Money(attos: 126 * 10_000_000_000_000_000))
    }

    @Test func anEventDatedBeforeAPeriodStartIsLeftOutOfThatPeriodOnly() {
        var ledger = Ledger(labelKeys: ["team"])
        // Wednesday; the event is from Tuesday (same week) and a late one from February.
        Self.record([Self.event("a", at: "2026-03-17T23:00:00Z"), Self.event("b", at: "2026-02-28T12:00:00Z", cents: 7)],
                    at: "2026-03-18T10:00:00Z", calendar: .utc, into: &ledger)
        #expect(Self.cents(ledger, .day) == 0)
        #expect(Self.cents(ledger, .week) == 125)
        #expect(Self.cents(ledger, .month) == 125)
    }

    @Test func theDayRollsOverAtMidnightInTheReportingZone() throws {
        let berlin = ReportingCalendar(timeZone: try TimeZoneTestData.rules("Europe/Berlin"))
        var ledger = Ledger(labelKeys: ["team"])
        // 22:30 UTC is 23:30 in Berlin (UTC+1 in March before the change): still the 18th there...
        Self.record([Self.event("a", at: "2026-03-18T22:30:00Z")], at: "2026-03-18T22:30:00Z", calendar: berlin, into: &ledger)
        #expect(Self.cents(ledger, .day) == 125)
        #expect(ledger.reportingWindows?.day.start == Self.time("2026-03-17T23:00:00Z"))
        // ...and 23:00 UTC is midnight: the 19th starts from zero, the week and month go on.
        Self.record([Self.event("b", at: "2026-03-18T23:00:00Z", cents: 3)], at: "2026-03-18T23:00:00Z", calendar: berlin, into: &ledger)
        #expect(ledger.reportingWindows?.day.start == Self.time("2026-03-18T23:00:00Z"))
        #expect(Self.cents(ledger, .day) == 3)
        #expect(Self.cents(ledger, .week) == 128)
        #expect(Self.cents(ledger, .month) == 128)
    }

    @Test func aSeriesWithoutEventsSinceTheRolloverReadsZero() {
        var ledger = Ledger(labelKeys: ["team"])
        Self.record([Self.event("a", at: "2026-03-18T10:00:00Z", team: "ads")], at: "2026-03-18T10:00:00Z", calendar: .utc, into: &ledger)
        Self.record([Self.event("b", at: "2026-03-19T00:00:05Z")], at: "2026-03-19T00:00:05Z", calendar: .utc, into: &ledger)
        #expect(Self.cents(ledger, .day, team: "ads") == 0)
        #expect(Self.cents(ledger, .week, team: "ads") == 125)
    }

    @Test func theWeekStartsOnTheConfiguredDay() {
        let sundays = ReportingCalendar(timeZone: .utc, weekStart: .sunday)
        var ledger = Ledger(labelKeys: ["team"])
        Self.record([Self.event("a", at: "2026-03-21T23:59:59Z")], at: "2026-03-21T23:59:59Z", calendar: sundays, into: &ledger)
        #expect(ledger.reportingWindows?.week.start == Self.time("2026-03-15T00:00:00Z"))
        Self.record([Self.event("b", at: "2026-03-22T00:00:00Z", cents: 2)], at: "2026-03-22T00:00:00Z", calendar: sundays, into: &ledger)
        #expect(ledger.reportingWindows?.week.start == Self.time("2026-03-22T00:00:00Z"))
        #expect(Self.cents(ledger, .week) == 2)
        #expect(Self.cents(ledger, .month) == 127)
        // Monday weeks would not have rolled over on that Sunday.
        #expect(ReportingCalendar.utc.windows(containing: Self.time("2026-03-22T00:00:00Z")).week.start == Self.time("2026-03-16T00:00:00Z"))
    }

    @Test func theMonthRollsOverAtTheFirstInTheReportingZone() throws {
        let berlin = ReportingCalendar(timeZone: try TimeZoneTestData.rules("Europe/Berlin"))
        var ledger = Ledger(labelKeys: ["team"])
        // Summer time since March 29: 21:30 UTC on the 31st is 23:30 in Berlin, 22:00 UTC is April.
        Self.record([Self.event("a", at: "2026-03-31T21:30:00Z")], at: "2026-03-31T21:30:00Z", calendar: berlin, into: &ledger)
        #expect(Self.cents(ledger, .month) == 125)
        Self.record([Self.event("b", at: "2026-03-31T22:00:00Z", cents: 4)], at: "2026-03-31T22:00:00Z", calendar: berlin, into: &ledger)
        #expect(ledger.reportingWindows?.month.start == Self.time("2026-03-31T22:00:00Z"))
        #expect(Self.cents(ledger, .month) == 4)
        // Tuesday the 31st and Wednesday the 1st share a week.
        #expect(Self.cents(ledger, .week) == 129)
    }

    @Test func aCommitPlannedBeforeARolloverAddsNothingToTheNewPeriod() {
        var ledger = Ledger(labelKeys: ["team"])
        var late = Ledger.Delta()
        late.windows = ReportingCalendar.utc.windows(containing: Self.time("2026-03-18T23:59:59Z"))
        let planned = ledger.plan([Self.event("a", at: "2026-03-18T23:59:59Z")], into: late)
        Self.record([Self.event("b", at: "2026-03-19T00:00:01Z", cents: 5)], at: "2026-03-19T00:00:01Z", calendar: .utc, into: &ledger)
        ledger.apply(planned)
        #expect(Self.cents(ledger, .day) == 5)
        #expect(Self.cents(ledger, .month) == 130)
        #expect(ledger.totals[0].requests == 2)
    }

    @Test func aDeltaWithoutWindowsLeavesThePeriodSpendAlone() {
        var ledger = Ledger(labelKeys: ["team"])
        ledger.apply(ledger.plan([Self.event("a", at: "2026-03-18T10:00:00Z")]))
        #expect(ledger.reportingWindows == nil)
        #expect(ledger.periodSpend == [PeriodSpend()])
    }

    @Test func restoringCountsEachEventInTheSeriesItWasCountedIn() {
        var ledger = Ledger(labelKeys: ["team"], seriesLimit: 1)
        let now = "2026-03-18T10:00:00Z"
        Self.record([Self.event("a", at: now), Self.event("b", at: now, team: "ads")], at: now, calendar: .utc, into: &ledger)
        let expected = ledger.periodSpend
        #expect(ledger.seriesCount == 2)
        ledger.beginRestoringPeriodSpend(windows: ReportingCalendar.utc.windows(containing: Self.time(now)))
        #expect(Self.cents(ledger, .day) == 0)
        for event in [Self.event("a", at: now), Self.event("b", at: now, team: "ads"), Self.event("c", at: "2026-03-01T00:00:00Z")] {
            ledger.restorePeriodSpend(SeriesKey(event: event.event, labelKeys: ["team"]), time: event.time, cost: event.cost, currency: "USD")
        }
        #expect(Self.cents(ledger, .day, team: "__other__") == 125)
        #expect(Self.cents(ledger, .day) == 125)
        #expect(Self.cents(ledger, .month) == 250)
        ledger.beginRestoringPeriodSpend(windows: ReportingCalendar.utc.windows(containing: Self.time(now)))
        ledger.restorePeriodSpend(SeriesKey(provider: "openai", model: "gpt-4o", labelValues: ["search"]), time: Self.time(now),
                                  cost: Money(attos: 125 * 10_000_000_000_000_000), currency: "USD")
        ledger.restorePeriodSpend(SeriesKey(provider: "openai", model: "gpt-4o", labelValues: ["ads"]), time: Self.time(now),
                                  cost: Money(attos: 125 * 10_000_000_000_000_000), currency: "USD")
        #expect(ledger.periodSpend == expected)
    }

    @Test func aDaylightSavingDayLastsAsLongAsTheWallClockSays() throws {
        let berlin = ReportingCalendar(timeZone: try TimeZoneTestData.rules("Europe/Berlin"))
        let day = berlin.windows(containing: Self.time("2026-03-29T12:00:00Z")).day
        #expect(day.start == Self.time("2026-03-28T23:00:00Z"))
        #expect(day.end == Self.time("2026-03-29T22:00:00Z"))
    }
}
