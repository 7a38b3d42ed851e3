import Testing
import WardenCore
import WardenMetrics

private struct StoppedClock: WallClock {
    let time: Timestamp
    func now() -> Timestamp { time }
}

/// `tokenwarden_period_cost` and `tokenwarden_period_start_timestamp_seconds` as a scrape renders
/// them from the ledger, with the scrape's clock fixed.
@Suite struct PeriodCostExpositionTests {
    static func time(_ text: String) -> Timestamp { try! Timestamp(rfc3339: text) }

    static func event(_ id: String, team: String, at time: String, cost: String, currency: String = "USD") -> PricedEvent {
        let instant = Self.time(time)
        let event = UsageEvent(id: id, time: instant, provider: "openai", model: "gpt-4o",
                               tokens: TokenUsage(input: 10, output: 1), attribution: Attribution([("team", team)]))
        return PricedEvent(event: event, time: instant, cost: try! Money.parse(cost).money, currency: currency, priced: true)
    }

    /// The ledger after one commit of `events` at `committed`, scraped at `scraped`.
    static func scrape(_ events: [PricedEvent], committed: String, scraped: String) -> [String] {
        var ledger = Ledger(labelKeys: ["team"])
        var initial = Ledger.Delta()
        initial.windows = ReportingCalendar.utc.windows(containing: time(committed))
        ledger.apply(ledger.plan(events, into: initial))
        let exposition = LedgerExposition(ledger: LiveLedger(ledger), reporting: .utc, clock: StoppedClock(time: time(scraped)))
        var writer = ExpositionWriter(format: .prometheusText)
        exposition.write(into: &writer, rejectionReasons: [])
        return String(decoding: writer.finish(), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test func eachCostSeriesHasOneExactSamplePerPeriod() {
        let lines = Self.scrape([
            Self.event("a", team: "search", at: "2026-03-18T09:00:00Z", cost: "0.100000000000000001"),
            Self.event("b", team: "search", at: "2026-03-18T09:30:00Z", cost: "12872.58"),
            Self.event("c", team: "ads", at: "2026-03-16T08:00:00Z", cost: "0.5"),
        ], committed: "2026-03-18T10:00:00Z", scraped: "2026-03-18T10:00:01Z")
        let period = lines.filter { $0.hasPrefix("tokenwarden_period_cost{") }
        let costs = lines.filter { $0.hasPrefix("tokenwarden_cost_total{") }
        #expect(period.count == 3 * costs.count)
        #expect(period.contains(#"tokenwarden_period_cost{provider="openai",model="gpt-4o",team="search",currency="USD",period="day"} 12872.680000000000000001"#))
        #expect(period.contains(#"tokenwarden_period_cost{provider="openai",model="gpt-4o",team="search",currency="USD",period="month"} 12872.680000000000000001"#))
        // Monday's event: this week and month, not today.
        #expect(period.contains(#"tokenwarden_period_cost{provider="openai",model="gpt-4o",team="ads",currency="USD",period="day"} 0"#))
        #expect(period.contains(#"tokenwarden_period_cost{provider="openai",model="gpt-4o",team="ads",currency="USD",period="week"} 0.5"#))
        #expect(lines.contains("# TYPE tokenwarden_period_cost gauge"))
    }

    @Test func thePeriodStartsAreExposedInSeconds() {
        let lines = Self.scrape([Self.event("a", team: "search", at: "2026-03-18T09:00:00Z", cost: "1")],
                                committed: "2026-03-18T10:00:00Z", scraped: "2026-03-18T10:00:01Z")
        #expect(lines.contains(#"tokenwarden_period_start_timestamp_seconds{period="day"} \#(Self.time("2026-03-18T00:00:00Z").secondsSinceEpoch)"#))
        #expect(lines.contains(#"tokenwarden_period_start_timestamp_seconds{period="week"} \#(Self.time("2026-03-16T00:00:00Z").secondsSinceEpoch)"#))
        #expect(lines.contains(#"tokenwarden_period_start_timestamp_seconds{period="month"} \#(Self.time("2026-03-01T00:00:00Z").secondsSinceEpoch)"#))
        #expect(lines.contains(#"tokenwarden_reporting_info{timezone="UTC",week_start="monday"} 1"#))
    }

    /// No event since midnight: the scrape's clock has rolled the day over, so yesterday's spend
    /// is not shown as today's.
    @Test func aScrapeAfterMidnightShowsZeroForTheNewDayBeforeAnyEvent() {
        let lines = Self.scrape([Self.event("a", team: "search", at: "2026-03-18T23:00:00Z", cost: "3.25")],
                                committed: "2026-03-18T23:00:00Z", scraped: "2026-03-19T00:00:01Z")
        #expect(lines.contains(#"tokenwarden_period_cost{provider="openai",model="gpt-4o",team="search",currency="USD",period="day"} 0"#))
        #expect(lines.contains(#"tokenwarden_period_cost{provider="openai",model="gpt-4o",team="search",currency="USD",period="week"} 3.25"#))
        #expect(lines.contains(#"tokenwarden_period_start_timestamp_seconds{period="day"} \#(Self.time("2026-03-19T00:00:00Z").secondsSinceEpoch)"#))
    }

    @Test func currenciesStaySeparate() {
        let lines = Self.scrape([Self.event("a", team: "search", at: "2026-03-18T09:00:00Z", cost: "2", currency: "EUR"),
                                 Self.event("b", team: "search", at: "2026-03-01T09:00:00Z", cost: "3", currency: "USD")],
                                committed: "2026-03-18T10:00:00Z", scraped: "2026-03-18T10:00:01Z")
        #expect(lines.contains(#"tokenwarden_period_cost{provider="openai",model="gpt-4o",team="search",currency="EUR",period="day"} 2"#))
        #expect(lines.contains(#"tokenwarden_period_cost{provider="openai",model="gpt-4o",team="search",currency="USD",period="day"} 0"#))
        #expect(lines.contains(#"tokenwarden_period_cost{provider="openai",model="gpt-4o",team="search",currency="USD",period="month"} 3"#))
    }

    @Test func withoutAReportingCalendarThereAreNoPeriodFamilies() {
        var ledger = Ledger(labelKeys: ["team"])
        ledger.apply(ledger.plan([Self.event("a", team: "search", at: "2026-03-18T09:00:00Z", cost: "1")]))
        var writer = ExpositionWriter(format: .prometheusText)
        LedgerExposition(ledger: LiveLedger(ledger)).write(into: &writer, rejectionReasons: [])
        let text = String(decoding: writer.finish(), as: UTF8.self)
        #expect(text.contains("tokenwarden_cost_total{"))
        #expect(!text.contains("tokenwarden_period_"))
    }
}
