import Testing
@testable import WardenCore

@Suite("Budget period windows")
struct PeriodWindowTests {
    typealias Data = TimeZoneTestData

    func window(_ period: BudgetPeriod, _ time: String, _ zone: TimeZoneRules = .utc) -> PeriodWindow {
        period.window(containing: Data.timestamp(time), in: zone)
    }

    func hours(_ window: PeriodWindow) -> Double {
        Double(window.end!.secondsSinceEpoch - window.start.secondsSinceEpoch) / 3600
    }

    // MARK: Identifiers

    static let identifiers: [(BudgetPeriod, String)] = [
        (.hourly, "2026-11-23T14"),
        (.daily, "2026-11-23"),
        (.weekly(weekStart: .monday), "2026-W48"),
        (.weekly(weekStart: .sunday), "2026-W48"),
        (.monthly, "2026-11"),
        (.quarterly, "2026-Q4"),
        (.yearly, "2026"),
        (.total, "total"),
        (.rolling(RuleDuration(nanoseconds: 7 * 86_400_000_000_000)), "rolling"),
    ]

    @Test(arguments: identifiers)
    func identifiersNameTheLocalWindow(period: BudgetPeriod, identifier: String) throws {
        let berlin = try Data.rules("Europe/Berlin")
        // 13:30 UTC is 14:30 in Berlin on Monday 2026-11-23.
        #expect(window(period, "2026-11-23T13:30:00Z", berlin).identifier == identifier)
    }

    @Test func weeksAtTheTurnOfTheYearUseTheISOWeekYear() {
        #expect(window(.weekly(weekStart: .monday), "2027-01-01T12:00:00Z").identifier == "2026-W53")
        #expect(window(.weekly(weekStart: .monday), "2024-12-30T12:00:00Z").identifier == "2025-W01")
        #expect(window(.weekly(weekStart: .monday), "2021-01-03T12:00:00Z").identifier == "2020-W53")
    }

    @Test func identifiersAreLocalNotUTC() throws {
        let newYork = try Data.rules("America/New_York")
        // 2027-01-01T03:00Z is still New Year's Eve in New York.
        #expect(window(.yearly, "2027-01-01T03:00:00Z", newYork).identifier == "2026")
        #expect(window(.daily, "2027-01-01T03:00:00Z", newYork).identifier == "2026-12-31")
    }

    // MARK: Month ends and leap years

    static let months: [(String, String, String)] = [
        ("2024-02-10T00:00:00Z", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z"),  // leap year: 29 days
        ("2023-02-10T00:00:00Z", "2023-02-01T00:00:00Z", "2023-03-01T00:00:00Z"),  // 28 days
        ("2000-02-29T23:59:59Z", "2000-02-01T00:00:00Z", "2000-03-01T00:00:00Z"),  // divisible by 400: leap
        ("1900-02-28T00:00:00Z", "1900-02-01T00:00:00Z", "1900-03-01T00:00:00Z"),  // divisible by 100: not leap
        ("2100-02-28T12:00:00Z", "2100-02-01T00:00:00Z", "2100-03-01T00:00:00Z"),
        ("2026-01-31T23:59:59Z", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"),
        ("2026-04-30T12:00:00Z", "2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z"),
        ("2026-12-31T23:59:59Z", "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z"),
    ]

    @Test(arguments: months)
    func monthsFollowTheCalendar(time: String, start: String, end: String) {
        let month = window(.monthly, time)
        #expect(month.start == Data.timestamp(start))
        #expect(month.end == Data.timestamp(end))
    }

    @Test func februaryHas29DaysExactlyInLeapYears() {
        for year in [1900, 1996, 2000, 2023, 2024, 2100, 2200] {
            let february = window(.monthly, "\(year)-02-15T00:00:00Z")
            #expect(hours(february) == Double(CivilDate.isLeapYear(year) ? 29 : 28) * 24, "\(year)")
        }
        #expect(!CivilDate.isLeapYear(1900) && CivilDate.isLeapYear(2000) && CivilDate.isLeapYear(2024) && !CivilDate.isLeapYear(2100))
    }

    @Test func quartersStartInJanuaryAprilJulyAndOctober() {
        let quarter = window(.quarterly, "2026-05-17T00:00:00Z")
        #expect(quarter.start == Data.timestamp("2026-04-01T00:00:00Z"))
        #expect(quarter.end == Data.timestamp("2026-07-01T00:00:00Z"))
        #expect(quarter.identifier == "2026-Q2")
        let fourth = window(.quarterly, "2026-12-31T23:00:00Z")
        #expect(fourth.end == Data.timestamp("2027-01-01T00:00:00Z"))
    }

    // MARK: DST

    static let dayLengths: [(String, String, Double)] = [
        ("Europe/Berlin", "2026-03-29T12:00:00Z", 23.0),
        ("Europe/Berlin", "2026-10-25T12:00:00Z", 25.0),
        ("Europe/Berlin", "2026-06-01T12:00:00Z", 24.0),
        ("America/New_York", "2026-03-08T17:00:00Z", 23.0),
        ("America/New_York", "2026-11-01T17:00:00Z", 25.0),
        ("Australia/Lord_Howe", "2026-04-05T02:00:00Z", 24.5),
        ("Australia/Lord_Howe", "2026-10-04T02:00:00Z", 23.5),
    ]

    @Test(arguments: dayLengths)
    func dayLengthFollowsTheWallClock(zone: String, time: String, expected: Double) throws {
        #expect(hours(window(.daily, time, try Data.rules(zone))) == expected)
    }

    @Test func aDayWhoseMidnightWasSkippedStartsAfterTheJump() throws {
        // Tehran, 2021-03-22: 00:00 (+03:30) → 01:00 (+04:30). The day starts at 01:00 local.
        let tehran = try Data.rules("Asia/Tehran")
        let day = window(.daily, "2021-03-22T06:00:00Z", tehran)
        #expect(day.identifier == "2021-03-22")
        #expect(day.start == Data.timestamp("2021-03-21T20:30:00Z"))
        #expect(hours(day) == 23)
        #expect(tehran.localDateTime(at: day.start).hour == 1)
    }

    @Test func apiaHasNoWindowForTheSkippedDay() throws {
        let apia = try Data.rules("Pacific/Apia")
        let thursday = window(.daily, "2011-12-29T12:00:00Z", apia)
        #expect(thursday.identifier == "2011-12-29")
        let next = try #require(BudgetPeriod.daily.window(after: thursday, in: apia))
        #expect(next.identifier == "2011-12-31")
        #expect(next.start == thursday.end)
    }

    @Test func aRepeatedHourIsOneTwoHourWindow() throws {
        let berlin = try Data.rules("Europe/Berlin")
        let first = window(.hourly, "2026-10-25T00:30:00Z", berlin)   // 02:30 CEST
        let second = window(.hourly, "2026-10-25T01:30:00Z", berlin)  // 02:30 CET
        #expect(first == second)
        #expect(first.identifier == "2026-10-25T02")
        #expect(hours(first) == 2)
    }

    @Test func aSkippedHourHasNoWindow() throws {
        let berlin = try Data.rules("Europe/Berlin")
        let one = window(.hourly, "2026-03-29T00:30:00Z", berlin)  // 01:30 CET
        #expect(one.identifier == "2026-03-29T01")
        let next = try #require(BudgetPeriod.hourly.window(after: one, in: berlin))
        #expect(next.identifier == "2026-03-29T03")
        #expect(next.start == Data.timestamp("2026-03-29T01:00:00Z"))
    }

    @Test func hourlyWindowsInKathmanduStartAtQuarterPastTheUTCHour() throws {
        let hour = window(.hourly, "2026-11-23T12:00:00Z", try Data.rules("Asia/Kathmandu"))
        #expect(hour.start == Data.timestamp("2026-11-23T11:15:00Z"))
        #expect(hour.end == Data.timestamp("2026-11-23T12:15:00Z"))
        #expect(hour.identifier == "2026-11-23T17")
    }

    // MARK: Weeks

    @Test(arguments: Weekday.allCases)
    func weeksStartOnTheConfiguredWeekdayAtLocalMidnight(weekStart: Weekday) throws {
        let berlin = try Data.rules("Europe/Berlin")
        let week = window(.weekly(weekStart: weekStart), "2026-11-25T12:00:00Z", berlin)
        let local = berlin.localDateTime(at: week.start)
        #expect(local.weekday == weekStart)
        #expect((local.hour, local.minute, local.second) == (0, 0, 0))
        #expect(hours(week) == 7 * 24)
    }

    // MARK: Total and rolling

    @Test func totalNeverEnds() {
        let total = window(.total, "2026-11-23T00:00:00Z")
        #expect(total.end == nil)
        #expect(total.start == Timestamp(nanosecondsSinceEpoch: .min))
        #expect(BudgetPeriod.total.window(after: total, in: .utc) == nil)
    }

    @Test func rollingCoversTheLastDurationAndSlides() throws {
        let period = BudgetPeriod.rolling(try RuleDuration(parsing: "7d"))
        let now = Data.timestamp("2026-11-23T12:00:00Z")
        let rolling = period.window(containing: now, in: .utc)
        #expect(rolling.start == Data.timestamp("2026-11-16T12:00:00Z"))
        #expect(rolling.end == nil)
        #expect(rolling.contains(now))
        #expect(period.window(after: rolling, in: .utc) == nil)
    }

    @Test func rollingDaysAreFixed24HoursEvenAcrossDST() throws {
        let period = BudgetPeriod.rolling(try RuleDuration(parsing: "1d"))
        let berlin = try Data.rules("Europe/Berlin")
        let rolling = period.window(containing: Data.timestamp("2026-03-29T12:00:00Z"), in: berlin)
        #expect(rolling.start == Data.timestamp("2026-03-28T12:00:00Z"))
    }

    @Test func theWindowReaching2262HasNoSuccessor() throws {
        let year2261 = window(.yearly, "2261-06-01T00:00:00Z")
        let last = try #require(BudgetPeriod.yearly.window(after: year2261, in: .utc))
        #expect(last.identifier == "2262")
        #expect(last.end == Timestamp(nanosecondsSinceEpoch: .max))  // 2263 is beyond Timestamp's range
        #expect(BudgetPeriod.yearly.window(after: last, in: .utc) == nil)
    }

    // MARK: Parsing

    @Test func periodNamesParse() throws {
        #expect(try BudgetPeriod(parsing: "monthly") == .monthly)
        #expect(try BudgetPeriod(parsing: "weekly") == .weekly(weekStart: .monday))
        #expect(try BudgetPeriod(parsing: "weekly", weekStart: .sunday) == .weekly(weekStart: .sunday))
        #expect(try BudgetPeriod(parsing: "total") == .total)
    }

    @Test func anUnknownPeriodListsTheValidOnes() {
        do {
            _ = try BudgetPeriod(parsing: "fortnightly")
            Issue.record("parsed")
        } catch {
            #expect(error.message.hasPrefix("unknown period \"fortnightly\" (use hourly, daily, weekly"))
        }
    }

    @Test func weekdaysParseByNameOrAbbreviation() {
        #expect(Weekday(name: "Monday") == .monday)
        #expect(Weekday(name: "sun") == .sunday)
        #expect(Weekday(name: "funday") == nil)
        #expect(Weekday(daysSinceEpoch: 0) == .thursday)
    }
}
