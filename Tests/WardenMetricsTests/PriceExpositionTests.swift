import Testing
import WardenCore
import WardenMetrics

private struct StoppedClock: WallClock {
    let time: Timestamp
    func now() -> Timestamp { time }
}

private func money(_ text: String) -> Money { try! Money.parse(text).money }

private func usage(_ id: String, provider: String, model: String, team: String) -> PricedEvent {
    let time = try! Timestamp(rfc3339: "2026-11-20T10:00:00Z")
    let event = UsageEvent(id: id, time: time, provider: provider, model: model,
                           tokens: TokenUsage(input: 100, output: 10, cacheRead: 50),
                           attribution: Attribution([("team", team)]))
    return PricedEvent(event: event, time: time, cost: money("0.01"), currency: "USD", priced: true)
}

@Suite("Price exposition")
struct PriceExpositionTests {
    static let catalog = PriceCatalog(entries: [
        PriceEntry(provider: "anthropic", model: "claude-sonnet-4-5",
                   price: ModelPrice(input: money("0.000003"), output: money("0.000015"),
                                     cacheRead: money("0.0000003"), cacheCreation: money("0.00000375"))),
        // A newer version in force from a date after the clock's: the older one is exposed.
        PriceEntry(provider: "anthropic", model: "claude-sonnet-4-5", effectiveFrom: CivilDate(year: 2027, month: 1, day: 1),
                   price: ModelPrice(input: money("1"), output: money("1"))),
        // No cache prices: the cost rule bills cache buckets at the input price.
        PriceEntry(provider: "openai", model: "gpt-4o", currency: "EUR",
                   price: ModelPrice(input: money("0.0000025"), output: money("0.00001"))),
        PriceEntry(provider: "openai", model: "never-called", price: ModelPrice(input: money("1"), output: money("1"))),
    ])

    static func exposition(events: [PricedEvent]) -> (text: String, exposition: PriceExposition, ledger: LiveLedger) {
        var ledger = Ledger(labelKeys: ["team"])
        ledger.apply(ledger.plan(events))
        let live = LiveLedger(ledger)
        let exposition = PriceExposition(catalog: catalog, ledger: live,
                                         clock: StoppedClock(time: try! Timestamp(rfc3339: "2026-11-23T12:00:00Z")))
        return (render(exposition), exposition, live)
    }

    static func render(_ exposition: PriceExposition) -> String {
        var writer = ExpositionWriter(format: .prometheusText)
        exposition.write(into: &writer)
        return String(decoding: writer.finish(), as: UTF8.self)
    }

    static func value(_ text: String, _ labels: String) -> Double? {
        let prefix = "tokenwarden_price_per_token{\(labels)} "
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else { return nil }
        return Double(line.dropFirst(prefix.count))
    }

    @Test func modelsWithUsageExposeTheirPricesInForceNowPerKind() throws {
        let (text, _, _) = Self.exposition(events: [
            usage("a", provider: "anthropic", model: "claude-sonnet-4-5", team: "search"),
            usage("b", provider: "anthropic", model: "claude-sonnet-4-5", team: "ads"),
            usage("c", provider: "openai", model: "gpt-4o", team: "search"),
            usage("d", provider: "openai", model: "unpriced-model", team: "search"),
        ])
        #expect(text.contains("# TYPE tokenwarden_price_per_token gauge"))
        let sonnet = #"provider="anthropic",model="claude-sonnet-4-5""#
        #expect(Self.value(text, sonnet + #",kind="input",currency="USD""#) == 0.000003)
        #expect(Self.value(text, sonnet + #",kind="cache_read",currency="USD""#) == 0.0000003)
        #expect(Self.value(text, sonnet + #",kind="cache_creation",currency="USD""#) == 0.00000375)
        #expect(Self.value(text, sonnet + #",kind="output",currency="USD""#) == 0.000015)
        #expect(Self.value(text, sonnet + #",kind="reasoning",currency="USD""#) == 0.000015)
        // Audio tokens without their own price are billed at the text rates.
        #expect(Self.value(text, sonnet + #",kind="audio_input",currency="USD""#) == 0.000003)
        #expect(Self.value(text, sonnet + #",kind="audio_output",currency="USD""#) == 0.000015)
        let gpt = #"provider="openai",model="gpt-4o""#
        #expect(Self.value(text, gpt + #",kind="cache_read",currency="EUR""#) == 0.0000025)
        #expect(Self.value(text, gpt + #",kind="cache_creation",currency="EUR""#) == 0.0000025)
        // One line per kind per priced model with usage: nothing for unpriced or unused models.
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("tokenwarden_price_per_token{") }.count == 14)
        #expect(!text.contains("never-called"))
        #expect(!text.contains("unpriced-model"))
    }

    @Test func noUsageNoFamily() {
        #expect(Self.exposition(events: []).text.isEmpty)
    }

    @Test func modelsFirstSeenAfterEarlierScrapesAppearAndAReplacedLedgerIsRescanned() {
        let (first, exposition, live) = Self.exposition(events: [usage("a", provider: "openai", model: "gpt-4o", team: "x")])
        #expect(!first.contains("claude"))
        var grown = live.read { Ledger(copying: $0) }
        grown.apply(grown.plan([usage("b", provider: "anthropic", model: "claude-sonnet-4-5", team: "x")]))
        live.replace(with: grown)
        let second = Self.render(exposition)
        #expect(second.contains(#"model="claude-sonnet-4-5""#) && second.contains(#"model="gpt-4o""#))

        // A rebuilt ledger (fewer series than already scanned) is scanned from its start.
        var rebuilt = Ledger(labelKeys: ["team"])
        rebuilt.apply(rebuilt.plan([usage("c", provider: "anthropic", model: "claude-sonnet-4-5", team: "x")]))
        live.replace(with: rebuilt)
        let third = Self.render(exposition)
        #expect(third.contains(#"model="claude-sonnet-4-5""#) && !third.contains("gpt-4o"))
    }
}

extension Ledger {
    fileprivate init(copying ledger: borrowing Ledger) { self = copy ledger }
}
