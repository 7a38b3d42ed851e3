import Foundation
import Testing
import TestSupport

/// Proof that the shipped dashboards show data: TokenWarden and a real Prometheus (scraping every
/// second, with the shipped recording and alert rules loaded) get a synthetic day of traffic, and
/// then every panel's query, its template variables substituted, must be valid and return data.
@Suite(.serialized) struct DashboardQueriesEndToEndTests {
    static let pricing = """
        currency: USD
        models:
          - provider: openai
            model: gpt-4o
            prices: {per: million, input: "2.50", output: "10.00", cache_read: "1.25"}
          - provider: openai
            model: gpt-4o-mini
            prices: {per: million, input: "0.15", output: "0.60", cache_read: "0.075"}
          - provider: anthropic
            model: claude-sonnet-4
            prices: {per: million, input: "3.00", output: "15.00", cache_read: "0.30", cache_creation: "3.75"}
        """

    /// Unknown models are recorded at zero cost, so the unpriced-events panel has a series.
    static let config = """
        ingest:
          unknown_models: record_at_zero_cost
        metrics:
          user_spend_refresh: 1s
        """

    static let rules = """
        budgets:
          # Crossed one step at a time by the test: 0.55, 0.85, 1.05, 1.25 USD.
          - name: launch-daily
            scope: {org: acme, project: launch}
            per: [project]
            period: daily
            limit: "1.00 USD"
            thresholds:
              - {at: 50%, action: notify}
              - {at: 80%, action: warn}
              - {at: 100%, action: throttle}
              - {at: 120%, action: deny, message: "launch is over its daily budget"}
          - name: team-monthly
            scope: {org: acme, team: "*"}
            per: [team]
            period: monthly
            limit: "500.00 USD"
            thresholds:
              - {at: 80%, action: warn}
          - name: agent-weekly
            scope: {org: acme, agent: "*"}
            per: [agent]
            period: weekly
            limit: ["50.00 USD", "5_000_000 tokens"]
            thresholds:
              - {at: 80%, action: warn}
          - name: acme-total
            scope: {org: acme}
            period: total
            limit: "10000.00 USD"
        quotas:
          - {name: looper-requests, scope: {agent: {regex: "loop.*"}}, per: [agent], requests: 3, window: 1h}
          - {name: project-tokens, scope: {project: "*"}, per: [project], tokens: 20000, window: 1h, shadow: true}
        policies:
          - name: interns-no-frontier
            when: 'team == "interns" && model == "gpt-4o"'
            action: deny
            message: "interns may not use gpt-4o"
          - name: require-project
            when: '!has(project)'
            action: warn
        """

    static let teams = ["search", "ads", "research"]
    static let models = [("openai", "gpt-4o"), ("openai", "gpt-4o-mini"), ("anthropic", "claude-sonnet-4")]
    static let agents = ["crawler", "summarizer", "reviewer", ""]
    static let projects = ["web", "mobile", ""]
    static let users = ["ana", "ben", "chris", ""]

    struct Event {
        var id: String
        var time: Date?
        var provider = "openai"
        var model = "gpt-4o"
        var input = 1000
        var output = 100
        var cacheRead = 0
        var cacheCreation = 0
        var reasoning = 0
        var team = "search"
        var agent = ""
        var project = ""
        var user = ""

        var json: String {
            var attribution = ["\"org\":\"acme\"", "\"team\":\"\(team)\""]
            if !agent.isEmpty { attribution.append("\"agent\":\"\(agent)\"") }
            if !project.isEmpty { attribution.append("\"project\":\"\(project)\"") }
            if !user.isEmpty { attribution.append("\"user\":\"\(user)\"") }
            let timeField = time.map { ",\"time\":\"\(ISO8601DateFormatter().string(from: $0))\"" } ?? ""
            return """
                {"id":"\(id)"\(timeField),"provider":"\(provider)","model":"\(model)","input_tokens":\(input),\
                "output_tokens":\(output),"cache_read_input_tokens":\(cacheRead),"cache_creation_input_tokens":\(cacheCreation),\
                "reasoning_tokens":\(reasoning),"attribution":{\(attribution.joined(separator: ","))}}
                """
        }
    }

    /// A day of traffic: each team, every hour of the last 23, on a rotating model, agent and project,
    /// with prompt caching on some calls and reasoning on others. `now` leaves `time` out.
    static func day(prefix: String, now: Date, historical: Bool) -> [Event] {
        var events: [Event] = []
        for hour in 1...23 {
            for (index, team) in teams.enumerated() {
                let (provider, model) = models[(hour + index) % models.count]
                let input = 2000 + 500 * ((hour * 3 + index) % 7)
                let output = 300 + 50 * (hour % 5)
                events.append(Event(
                    id: "\(prefix)-\(hour)-\(team)",
                    time: historical ? now.addingTimeInterval(-Double(hour) * 3600 + Double(index) * 60) : nil,
                    provider: provider, model: model, input: input, output: output,
                    cacheRead: hour % 2 == 0 ? input / 4 : 0,
                    cacheCreation: provider == "anthropic" && hour % 3 == 0 ? input / 5 : 0,
                    reasoning: model == "gpt-4o-mini" ? output / 3 : 0,
                    team: team, agent: agents[(hour * 7 + index) % agents.count], project: projects[(hour + 2 * index) % projects.count],
                    user: users[(hour * 5 + index) % users.count]))
            }
        }
        events.append(Event(id: "\(prefix)-unpriced", time: historical ? now.addingTimeInterval(-7200) : nil,
                            model: "gpt-unreleased", team: "research", agent: "reviewer", project: "web"))
        events.append(Event(id: "\(prefix)-interns", time: historical ? now.addingTimeInterval(-5400) : nil,
                            model: "gpt-4o-mini", team: "interns", agent: "summarizer"))
        return events
    }

    static func post(_ base: String, _ events: [Event]) async throws {
        let response = try await HTTP.postJSON("\(base)/v1/usage", "[\(events.map(\.json).joined(separator: ","))]")
        try #require(response.status == 200, "POST /v1/usage: \(response.text)")
    }

    static func check(_ base: String, model: String = "gpt-4o", input: Int = 1000, output: Int = 200, team: String = "search",
                      agent: String = "crawler", project: String? = "web") async throws -> HTTP.Response {
        let projectField = project.map { ",\"project\":\"\($0)\"" } ?? ""
        return try await HTTP.postJSON("\(base)/v1/check", """
            {"provider":"openai","model":"\(model)","estimated_input_tokens":\(input),"max_output_tokens":\(output),\
            "attribution":{"org":"acme","team":"\(team)","agent":"\(agent)"\(projectField)}}
            """)
    }

    /// What Grafana puts in place of its own macros when it runs a panel.
    static let macros = ["__rate_interval": "1m", "__interval": "15s", "__range": "1h", "__range_s": "3600", "__range_ms": "3600000"]

    /// Phases on stderr, so a CI log shows where a slow run spent its time.
    static func progress(_ started: Date, _ message: String) {
        FileHandle.standardError.write(Data("[dashboards +\(Int(Date().timeIntervalSince(started)))s] \(message)\n".utf8))
    }

    /// About 15 s on an idle machine; the limit only turns a hang into a failure.
    @Test(.timeLimit(.minutes(5))) func everyPanelQueryOfEveryDashboardReturnsData() async throws {
        let started = Date()
        let fixture = try RulesFixture(config: Self.config, pricing: Self.pricing)
        defer { fixture.remove() }
        try Self.rules.write(toFile: "\(fixture.rules)/rules.yaml", atomically: true, encoding: .utf8)
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let base = warden.baseURL
        let prometheus = try await PrometheusServer(directory: fixture.directory, target: "127.0.0.1:\(warden.port)",
                                                    ruleFiles: ShippedDashboards.ruleFiles)
        defer { prometheus.stop() }
        Self.progress(started, "tokenwarden and prometheus are up")

        // Prometheus has scraped the target before any usage exists, so every usage series it
        // sees later starts from a known value and rate() counts all of its growth.

        // The day: first the last 23 hours (events carry their `time`), then the same mix now.
        try await prometheus.waitForData(#"up{job="tokenwarden"} == 1"#)
        Self.progress(started, "first scrape done")
        let now = Date()
        let history = Self.day(prefix: "h", now: now, historical: true)
        try await Self.post(base, history)
        try await prometheus.waitForData("sum(tokenwarden_requests_total) >= \(history.count)")
        let current = Self.day(prefix: "c", now: now, historical: false)
        try await Self.post(base, current)
        try await prometheus.waitForData("sum(tokenwarden_requests_total) >= \(history.count + current.count)")

        Self.progress(started, "a day of traffic recorded and scraped")
        // The launch budget climbs its ladder; Prometheus sees every step.
        let ladder: [(input: Int, step: String, status: Int)] = [
            (220_000, "notify", 200), (120_000, "warn", 200), (80_000, "throttle", 429), (80_000, "deny", 403),
        ]
        for (index, rung) in ladder.enumerated() {
            try await Self.post(base, [Event(id: "launch-\(index)", input: rung.input, output: 0, team: "search",
                                             agent: "crawler", project: "launch")])
            try await prometheus.waitForData(#"tokenwarden_budget_step{budget="launch-daily",step="\#(rung.step)"} == 1"#)
            let answer = try await Self.check(base, input: 10, output: 10, project: "launch")
            #expect(answer.status == rung.status, "check at step \(rung.step): \(answer.text)")
        }

        Self.progress(started, "the launch budget crossed every step")
        // A looping agent runs into its quota, an intern into a policy, a big request into a
        // shadow quota; a check without a project warns and keeps its reservation open.
        for attempt in 0..<4 {
            let answer = try await Self.check(base, team: "ads", agent: "loop-1")
            #expect(answer.status == (attempt < 3 ? 200 : 429), "looper check \(attempt): \(answer.text)")
        }
        let intern = try await Self.check(base, team: "interns", agent: "summarizer")
        #expect(intern.status == 403, "\(intern.text)")
        let big = try await Self.check(base, input: 30_000, team: "research", agent: "reviewer", project: "mobile")
        #expect(big.status == 200, "\(big.text)")
        let warned = try await Self.check(base, team: "research", agent: "reviewer", project: nil)
        #expect(try warned.jsonObject()["decision"] as? String == "warn", "\(warned.text)")

        // Refused and repeated events.
        let malformed = try await HTTP.postJSON("\(base)/v1/usage", "{")
        #expect(malformed.status == 400)
        let invalid = try await HTTP.postJSON("\(base)/v1/usage", Event(id: "bad", input: -1).json)
        #expect(invalid.status == 400)
        try await Self.post(base, [current[0]])

        // Live traffic while the panels are queried: rate() over the last minute has data.
        let trickle = Task {
            var sent = 0
            while !Task.isCancelled && sent < 400 {
                let team = Self.teams[sent % Self.teams.count]
                let (provider, model) = Self.models[sent % Self.models.count]
                let event = Event(id: "t-\(sent)", provider: provider, model: model, input: 1500, output: 200,
                                  cacheRead: sent % 2 == 0 ? 500 : 0, team: team, agent: Self.agents[sent % 3], project: "web")
                _ = try? await HTTP.postJSON("\(base)/v1/usage", event.json)
                _ = try? await Self.check(base, team: team, agent: Self.agents[sent % 3], project: "mobile")
                sent += 1
                try? await Task.sleep(for: .milliseconds(300))
            }
        }
        defer { trickle.cancel() }

        Self.progress(started, "checks and refused events sent; trickling traffic")
        // Recorded series exist once the rules have run on the new data.
        try await prometheus.waitForData("org_team:tokenwarden_cost:rate1h > 0")
        try await prometheus.waitForData("budget:tokenwarden_budget_usage_ratio:forecast_period_end")

        Self.progress(started, "recording rules have data; running the panels' queries")
        var failures: [String] = []
        var ran = 0
        // One deadline for all panels: a panel without data gets the rest of it to show some.
        let deadline = ContinuousClock.now.advanced(by: .seconds(90))
        for dashboard in try ShippedDashboards.loadAll() {
            Self.progress(started, dashboard.name)
            var values = Self.macros
            for variable in dashboard.variables where variable["type"] as? String == "query" {
                let name = variable["name"] as? String ?? "?"
                let query = try GrafanaDashboard.substitute(GrafanaDashboard.variableQuery(variable) ?? "", values)
                let options = try await Self.labelValues(query, prometheus)
                guard !options.isEmpty else {
                    failures.append("\(dashboard.name): $\(name) = \(query) has no values")
                    values[name] = ".*"
                    continue
                }
                let current = ((variable["current"] as? [String: Any])?["value"] as? String).flatMap { options.contains($0) ? $0 : nil }
                values[name] = variable["includeAll"] as? Bool == true ? ".*" : current ?? options[0]
            }
            for query in dashboard.queries {
                let expr = try GrafanaDashboard.substitute(query.expr, values)
                ran += 1
                // An invalid query ends the wait at once; one without data is asked until the deadline.
                let answer = try await poll(for: max(.zero, deadline - ContinuousClock.now), every: .milliseconds(500)) {
                    let end = Date()
                    let answer = query.instant
                        ? try await prometheus.query(expr)
                        : try await prometheus.queryRange(expr, start: end.addingTimeInterval(-300), end: end, step: 5)
                    return answer.error != nil || answer.hasData ? answer : nil
                }
                if let error = answer?.error {
                    failures.append("\(dashboard.name) / \(query.panel) [\(query.refId)]: invalid: \(error)\n    \(expr)")
                } else if answer == nil {
                    failures.append("\(dashboard.name) / \(query.panel) [\(query.refId)]: no data\n    \(expr)")
                }
            }
        }
        trickle.cancel()
        Self.progress(started, "\(ran) panel queries run, \(failures.count) failed")
        #expect(ran >= 60, "only \(ran) panel queries found")
        #expect(failures.isEmpty, "\(failures.count) of \(ran) panel queries failed:\n\(failures.joined(separator: "\n"))")

        // The day's spend reached Prometheus: the spend-today panel's query, per team.
        let teams = try await prometheus.query(#"sum by (team) (increase(tokenwarden_cost_total[1h]))"#)
        #expect(Set(teams.series.compactMap { $0.labels["team"] }).isSuperset(of: Set(Self.teams)), "\(teams.series)")
        await warden.stop()
    }

    /// Grafana's `label_values(selector, label)` as the Prometheus API call Grafana makes for it.
    static func labelValues(_ query: String, _ prometheus: PrometheusServer) async throws -> [String] {
        guard query.hasPrefix("label_values("), query.hasSuffix(")"), let comma = query.lastIndex(of: ",") else {
            throw TestFailure("not a label_values(selector, label) query: \(query)")
        }
        let selector = query[query.index(query.startIndex, offsetBy: "label_values(".count)..<comma]
        let label = query[query.index(after: comma)..<query.index(before: query.endIndex)].trimmingCharacters(in: .whitespaces)
        return try await prometheus.labelValues(label, match: String(selector).trimmingCharacters(in: .whitespaces))
    }
}
