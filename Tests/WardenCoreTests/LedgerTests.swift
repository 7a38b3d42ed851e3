import Testing
import WardenCore

private func priced(_ id: String, team: String, model: String = "gpt-4o", cost: Int128 = 1_000, priced: Bool = true) -> PricedEvent {
    let event = UsageEvent(id: id, time: Timestamp(secondsSinceEpoch: 0), provider: "openai", model: model,
                           tokens: TokenUsage(input: 100, output: 10, cacheRead: 30, cacheCreation: 20, reasoning: 4),
                           attribution: Attribution(["org": "acme", "team": team, "session": "s-\(id)"]))
    return PricedEvent(event: event, time: event.time!, cost: Money(attos: cost), currency: "USD", priced: priced)
}

@Suite struct LedgerTests {
    @Test func planningDoesNotChangeTheLedgerUntilApplied() {
        var ledger = Ledger(labelKeys: ["org", "team"])
        let delta = ledger.plan([priced("a", team: "x")])
        #expect(ledger.seriesCount == 0)
        ledger.apply(delta)
        #expect(ledger.seriesCount == 1)
        #expect(delta.entries[0].newTotal.requests == 1)
    }

    @Test func theTokenKindsPartitionAllTokens() {
        var ledger = Ledger(labelKeys: ["team"])
        ledger.apply(ledger.plan([priced("a", team: "x")]))
        let total = ledger.grandTotal
        #expect(total.uncachedInput == 50)
        #expect(total.cacheRead == 30)
        #expect(total.cacheCreation == 20)
        #expect(total.output == 10)
        #expect(total.reasoning == 4)
        #expect(total.uncachedInput + total.cacheRead + total.cacheCreation + total.output == 110)
    }

    @Test func labelsOutsideTheMetricLabelsAreAggregatedAway() {
        var ledger = Ledger(labelKeys: ["org", "team"])
        ledger.apply(ledger.plan((0..<10).map { priced("e\($0)", team: "x") }))
        #expect(ledger.seriesCount == 1)
        #expect(ledger.keys[0].labelValues == ["acme", "x"])
    }

    @Test func labelSetsBeyondTheLimitAreCountedUnderOther() {
        var ledger = Ledger(labelKeys: ["org", "team"], seriesLimit: 3)
        ledger.apply(ledger.plan((0..<10).map { priced("e\($0)", team: "t\($0)") }))
        #expect(ledger.seriesCount == 4)
        let other = SeriesKey(provider: "openai", model: "gpt-4o", labelValues: ["__other__", "__other__"])
        #expect(ledger.totals(for: other)?.requests == 7)
        #expect(ledger.overflowEvents == 7)
        #expect(ledger.grandTotal.cost(in: "USD") == Money(attos: 10_000))
    }

    @Test func anAdmittedSeriesKeepsCountingAfterTheLimitIsReached() {
        var ledger = Ledger(labelKeys: ["team"], seriesLimit: 1)
        ledger.apply(ledger.plan([priced("a", team: "first"), priced("b", team: "second")]))
        ledger.apply(ledger.plan([priced("c", team: "first")]))
        #expect(ledger.totals(for: SeriesKey(provider: "openai", model: "gpt-4o", labelValues: ["first"]))?.requests == 2)
    }

    @Test func overflowSeriesThemselvesAreBounded() {
        var ledger = Ledger(labelKeys: ["team"], seriesLimit: 1)
        let events = (0..<300).map { priced("e\($0)", team: "t\($0)", model: "m\($0)") }
        ledger.apply(ledger.plan(events))
        #expect(ledger.seriesCount == 1 + ledger.overflowSeriesLimit + 1)
        #expect(ledger.grandTotal.requests == 300)
    }

    @Test func unpricedEventsAreCountedPerModel() {
        var ledger = Ledger(labelKeys: ["team"])
        ledger.apply(ledger.plan([priced("a", team: "x", model: "mystery", cost: 0, priced: false)]))
        #expect(ledger.unpriced == [Ledger.ProviderModel(provider: "openai", model: "mystery"): 1])
    }

    @Test func restoringRebuildsTheSameIndexOrder() {
        var ledger = Ledger(labelKeys: ["team"])
        ledger.apply(ledger.plan([priced("a", team: "b"), priced("c", team: "a")]))
        var restored = Ledger(labelKeys: ["team"])
        for (key, totals) in zip(ledger.keys, ledger.totals) { restored.restore(key, totals: totals) }
        #expect(restored.keys == ledger.keys)
        #expect(restored.totals == ledger.totals)
    }
}
