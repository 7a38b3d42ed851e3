import Foundation
import Testing
import TestSupport

/// Proof that the spend dashboard shows the bill to the cent: usage arrives in rounds, on label
/// sets Prometheus already has and on new ones (whose first scraped value is already their whole
/// spend), and then every spend panel's query — today, this month, the last hour, the last day and
/// a range starting between two rounds — must equal the exact sum of the events it covers, group
/// by group.
///
/// The panels lag by at most one scrape (and, for recorded series, one rule evaluation): the test
/// waits until Prometheus has scraped the last event before it compares, then retries for a few
/// seconds so a rule evaluation can follow the last scrape.
@Suite(.serialized) struct SpendPanelsExactnessEndToEndTests {
    static let pricing = """
        currency: USD
        models:
          - provider: openai
            model: gpt-4o
            prices: {per: million, input: "2.50", output: "10.00"}
          - provider: openai
            model: gpt-4o-mini
            prices: {per: million, input: "0.15", output: "0.60"}
          - provider: anthropic
            model: claude-sonnet-4
            prices: {per: million, input: "3.00", output: "15.00"}
        """

    static let config = """
        metrics:
          user_spend_refresh: 1s
        """

    struct Event {
        var id: String
        var provider = "openai"
        var model = "gpt-4o"
        var input = 1000
        var output = 100
        var team = "search"
        var project = ""
        var agent = ""
        var user = ""
        /// The exact cost the server answered with.
        var cost = Decimal(0)

        var json: String {
            var attribution = ["\"org\":\"acme\"", "\"team\":\"\(team)\""]
            if !project.isEmpty { attribution.append("\"project\":\"\(project)\"") }
            if !agent.isEmpty { attribution.append("\"agent\":\"\(agent)\"") }
            if !user.isEmpty { attribution.append("\"user\":\"\(user)\"") }
            return """
                {"id":"\(id)","provider":"\(provider)","model":"\(model)","input_tokens":\(input),"output_tokens":\(output),\
                "attribution":{\(attribution.joined(separator: ","))}}
                """
        }

        /// The label's value on this event's series ("" when absent, as Prometheus drops it).
        func label(_ name: String) -> String {
            switch name {
            case "provider": provider
            case "model": model
            case "org": "acme"
            case "team": team
            case "project": project
            case "agent": agent
            case "user": user
            default: ""
            }
        }
    }

    /// Four rounds. Round 0 creates the label sets Prometheus sees before the range starts; the
    /// later rounds add to some of them and create new ones with large first amounts.
    static let rounds: [[Event]] = [
        [
            Event(id: "r0-a", input: 1_234_567, output: 89_012, team: "search", project: "web", agent: "crawler", user: "ana"),
            Event(id: "r0-b", provider: "anthropic", model: "claude-sonnet-4", input: 420_000, output: 31_337, team: "ads",
                  project: "mobile", user: "ben"),
        ],
        [
            Event(id: "r1-a", input: 3_000_001, output: 7, team: "search", project: "web", agent: "crawler", user: "ana"),
            // New: 12,872.68 USD in its very first scrape.
            Event(id: "r1-c", input: 5_149_072_000, output: 0, team: "research", agent: "reviewer", user: "chris"),
        ],
        [
            Event(id: "r2-b", provider: "anthropic", model: "claude-sonnet-4", input: 10_001, output: 999, team: "ads",
                  project: "mobile", user: "ben"),
            Event(id: "r2-c", input: 3, output: 1, team: "research", agent: "reviewer", user: "chris"),
            Event(id: "r2-d", model: "gpt-4o-mini", input: 77_777_777, output: 123_456, team: "interns", project: "launch",
                  agent: "summarizer"),
        ],
        [
            Event(id: "r3-e", provider: "anthropic", model: "claude-sonnet-4", input: 1_000_000, output: 1_000_000, team: "search",
                  project: "launch", agent: "crawler", user: "dana"),
            Event(id: "r3-a", input: 1, output: 1, team: "search", project: "web", agent: "crawler", user: "ana"),
            Event(id: "r3-f", model: "gpt-4o-mini", input: 15, output: 0, team: "ads"),
        ],
    ]

    @Test(.timeLimit(.minutes(5))) func everySpendPanelEqualsTheExactSumOfItsEvents() async throws {
        // A run across midnight (UTC, the default reporting zone) would split "today": start after it.
        let secondsToMidnight = 86_400 - Date().timeIntervalSince1970.truncatingRemainder(dividingBy: 86_400)
        if secondsToMidnight < 240 { try await Task.sleep(for: .seconds(secondsToMidnight + 2)) }

        let fixture = try RulesFixture(config: Self.config, pricing: Self.pricing)
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let prometheus = try await PrometheusServer(directory: fixture.directory, target: "127.0.0.1:\(warden.port)",
                                                    ruleFiles: ShippedDashboards.ruleFiles)
        defer { prometheus.stop() }
        try await prometheus.waitForData(#"up{job="tokenwarden"} == 1"#)

        var recorded: [[Event]] = []
        var rangeStart = Date()
        var posted = 0
        for (number, round) in Self.rounds.enumerated() {
            if number == 1 {
                // The range panels' range starts here: after round 0 was scraped, before round 1.
                try await Task.sleep(for: .seconds(2))
                rangeStart = Date()
                try await Task.sleep(for: .seconds(2))
            }
            recorded.append(try await Self.post(warden.baseURL, round))
            posted += round.count
            try await prometheus.waitForData("sum(tokenwarden_requests_total) == \(posted)")
        }
        let all = recorded.flatMap { $0 }
        let inRange = recorded.dropFirst().flatMap { $0 }
        let total = all.reduce(Decimal(0)) { $0 + $1.cost }
        #expect(total > 12_872.68, "the events cost \(total)")

        let dashboard = try #require(try ShippedDashboards.loadAll().first { $0.name == "tokenwarden-spend.json" })
        let checks = Self.spendQueries(dashboard)
        #expect(checks.count >= 16, "only \(checks.count) spend panel queries found")

        var failures: [String] = []
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        repeat {
            failures = []
            let now = Date()
            let range = "\(Int((now.timeIntervalSince(rangeStart) * 1000).rounded()))ms"
            for query in checks {
                let values = ["currency": "USD", "org": ".*", "team": ".*", "project": ".*", "model": ".*", "agent": ".*",
                              "timezone": "UTC", "__range": range]
                let expr = try GrafanaDashboard.substitute(query.expr, values)
                let events = query.expr.contains("$__range") ? inRange : all
                let answer = try await prometheus.query(expr, at: now)
                if let error = answer.error {
                    failures.append("\(query.panel): invalid: \(error)\n    \(expr)")
                    continue
                }
                failures += Self.compare(answer, with: events, query: query, expr: expr)
            }
            if failures.isEmpty { break }
            try await Task.sleep(for: .milliseconds(500))
        } while ContinuousClock.now < deadline
        #expect(failures.isEmpty, "\(failures.count) spend panel results differ from the events:\n\(failures.joined(separator: "\n"))")
        await warden.stop()
    }

    static func post(_ base: String, _ events: [Event]) async throws -> [Event] {
        let response = try await HTTP.postJSON("\(base)/v1/usage", "[\(events.map(\.json).joined(separator: ","))]")
        try #require(response.status == 200, "POST /v1/usage: \(response.text)")
        let results = try response.jsonObject()["results"] as? [[String: Any]] ?? []
        try #require(results.count == events.count)
        return try zip(events, results).map { event, result in
            var event = event
            event.cost = try #require(Decimal(string: result["cost"] as? String ?? ""), "cost of \(event.id)")
            return event
        }
    }

    /// The spend panels' queries: money in the panel's currency unit, not a ratio, not an estimate
    /// from list prices, not the 30-day average (an average of history, not a sum of events).
    static func spendQueries(_ dashboard: GrafanaDashboard) -> [GrafanaDashboard.Query] {
        let money = Set(dashboard.dataPanels.filter {
            ((($0["fieldConfig"] as? [String: Any])?["defaults"] as? [String: Any])?["unit"] as? String)?.hasPrefix("currency") == true
        }.compactMap { $0["title"] as? String })
        return dashboard.queries.filter { query in
            money.contains(query.panel) && !query.expr.contains(" / ") && !query.expr.contains("price_per_token")
                && !query.expr.contains("rate30d")
                && ["tokenwarden_cost", "tokenwarden_period_cost", "tokenwarden_user_spend"].contains { query.expr.contains($0) }
        }
    }

    /// The labels a query's result is grouped by: its `by (…)`, or the level of a recorded series
    /// read as it is (`org_team:…` → org, team); none for a plain sum.
    static func groupLabels(_ expr: String) -> [String] {
        if let by = expr.range(of: #"by \(([a-z_, ]+)\)"#, options: .regularExpression) {
            return expr[by].dropFirst(4).dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        if let recorded = expr.range(of: #"^[a-z_]+:tokenwarden_cost:"#, options: .regularExpression) {
            return expr[recorded].split(separator: ":")[0].split(separator: "_").map(String.init)
        }
        return []
    }

    static func compare(_ answer: PrometheusServer.Answer, with events: [Event], query: GrafanaDashboard.Query,
                        expr: String) -> [String] {
        var events = events
        if expr.contains(#"agent!="""#) { events = events.filter { !$0.agent.isEmpty } }
        if expr.contains(#"project!="""#) { events = events.filter { !$0.project.isEmpty } }
        if expr.contains("tokenwarden_user_spend") { events = events.filter { !$0.user.isEmpty } }
        // Recorded rates are per second over an hour or a day; the panels multiply them back.
        var expected: [[String]: Decimal] = [:]
        let labels = groupLabels(query.expr)
        for event in events { expected[labels.map(event.label), default: 0] += event.cost }
        var failures: [String] = []
        var seen: Set<[String]> = []
        for series in answer.series {
            let group = labels.map { series.labels[$0] ?? "" }
            seen.insert(group)
            let want = expected[group] ?? 0
            guard let value = series.values.last, abs(value - NSDecimalNumber(decimal: want).doubleValue) < 0.005 else {
                failures.append("\(query.panel) \(group): \(series.values.last.map { String($0) } ?? "no value"), expected \(want)\n    \(expr)")
                continue
            }
        }
        for (group, want) in expected where want >= 0.005 && !seen.contains(group) {
            failures.append("\(query.panel) \(group): missing, expected \(want)\n    \(expr)")
        }
        return failures
    }
}
