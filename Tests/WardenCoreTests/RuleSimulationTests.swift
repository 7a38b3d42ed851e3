import Testing
import WardenCore
import WardenFormats

@Suite struct RuleSimulationTests {
    static func event(_ id: String, _ time: String, cost: String, team: String = "search") -> PricedEvent {
        let usage = UsageEvent(id: id, time: try! Timestamp(rfc3339: time), provider: "openai", model: "gpt-4o",
                               tokens: TokenUsage(input: 1, output: 0), attribution: Attribution(["org": "acme", "team": team]))
        return PricedEvent(event: usage, time: usage.time!, cost: try! Money.parse(cost).money, currency: "USD", priced: true)
    }

    @Test func crossingsArePrintedInTimeOrderWhateverTheInputOrder() throws {
        let simulation = RuleSimulation(rules: try RuleTesting.ruleSet())
        let report = simulation.run([
            Self.event("b", "2026-03-01T10:00:00Z", cost: "3.00"),
            Self.event("a", "2026-03-01T09:00:00Z", cost: "5.00"),
        ])
        #expect(report.rows.map(\.summaryLine) == [
            "2026-03-01T09:00:00Z  team-budgets{org=acme,team=search}  threshold_crossed_up 50% notify  observed=5 limit=10",
            "2026-03-01T10:00:00Z  team-budgets{org=acme,team=search}  threshold_crossed_up 80% warn  observed=8 limit=10",
        ])
    }

    @Test func aPeriodEndIsAuditedAtTheFirstMinuteOfTheNextPeriodNotAtTheNextEvent() throws {
        let simulation = RuleSimulation(rules: try RuleTesting.ruleSet())
        let report = simulation.run([
            Self.event("a", "2026-03-01T09:00:00Z", cost: "6.00"),
            Self.event("b", "2026-03-03T10:00:00Z", cost: "1.00"),
        ])
        #expect(report.rows.map(\.summaryLine) == [
            "2026-03-01T09:00:00Z  team-budgets{org=acme,team=search}  threshold_crossed_up 50% notify  observed=6 limit=10",
            "2026-03-02T00:00:00Z  team-budgets{org=acme,team=search}  threshold_crossed_down 50% notify  observed=0 limit=10",
        ])
    }

    @Test func theTextEndsWithEveryBudgetInstanceAndSaysPoliciesAreNotEvaluated() throws {
        let simulation = RuleSimulation(rules: try RuleTesting.ruleSet())
        let report = simulation.run([
            Self.event("a", "2026-03-01T09:00:00Z", cost: "8.25"),
            Self.event("b", "2026-03-01T09:30:00Z", cost: "1.00", team: "ads"),
        ])
        let lines = report.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.suffix(5) == [
            "2 events from 2026-03-01T09:00:00Z to 2026-03-01T09:30:00Z, 2 audit rows",
            "budgets at 2026-03-01T09:30:00Z:",
            "  team-budgets{org=acme,team=ads}  used=1 USD  limit=10 USD  ratio=0.1  step=none",
            "  team-budgets{org=acme,team=search}  used=8.25 USD  limit=10 USD  ratio=0.825  step=warn",
            "quotas and policies: not evaluated (they answer checks; recorded usage holds none)",
        ], "\(report.text)")
    }

    @Test func theJSONFormatIsAnArrayOfTheRows() throws {
        let report = RuleSimulation(rules: try RuleTesting.ruleSet()).run([Self.event("a", "2026-03-01T09:00:00Z", cost: "5.00")])
        let document = try JSONDocument(parsing: report.json)
        #expect(document.root.kind == .array)
        let row = try #require(document.root[0])
        #expect(row["action"]?.string == "threshold_crossed_up")
        #expect(row["threshold"]?.string == "50%")
        #expect(row["scope"]?["team"]?.string == "search")
        #expect(row["observed"]?.string == "5")
        #expect(row["detail"]?["period"] != nil)
    }
}
