import Foundation
import Testing
import TestSupport

/// The rule engine through the real binary: checks, reservations, thresholds, reloads and the
/// audit chain, over loopback HTTP and a real SQLite file.
@Suite struct RuleEngineEndToEndTests {
    /// gpt-4o at 2.50/M input and 10.00/M output (RulesFixture.pricing).
    static func check(_ base: String, input: Int = 1000, output: Int = 1000, team: String = "search",
                      agent: String = "a1", extra: String = "") async throws -> HTTP.Response {
        try await HTTP.postJSON("\(base)/v1/check", """
            {"provider":"openai","model":"gpt-4o","estimated_input_tokens":\(input),"max_output_tokens":\(output),\
            "attribution":{"org":"acme","team":"\(team)","agent":"\(agent)"\(extra)}}
            """)
    }

    static func usage(_ base: String, id: String, input: Int, output: Int, team: String = "search", agent: String = "a1",
                      reservation: String? = nil) async throws -> HTTP.Response {
        let reservationField = reservation.map { ",\"reservation\":\"\($0)\"" } ?? ""
        return try await HTTP.postJSON("\(base)/v1/usage", """
            {"id":"\(id)","provider":"openai","model":"gpt-4o","input_tokens":\(input),"output_tokens":\(output),\
            "attribution":{"org":"acme","team":"\(team)","agent":"\(agent)"}\(reservationField)}
            """)
    }

    static func metric(_ text: String, _ series: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    static func writeRules(_ fixture: RulesFixture, _ name: String, _ text: String) throws {
        try text.write(toFile: "\(fixture.rules)/\(name)", atomically: true, encoding: .utf8)
    }

    /// One `total` budget on org acme that denies at 100%.
    static func writeDenyingBudget(_ fixture: RulesFixture, name: String, limit: String) throws {
        try writeRules(fixture, "budgets.yaml", """
            budgets:
              - name: \(name)
                scope: {org: acme}
                period: total
                limit: "\(limit)"
                thresholds:
                  - {at: 100%, action: deny}
            """)
    }

    // MARK: the race

    /// 64 agents race against one budget whose deny step is at 100%: each checks, and when
    /// allowed reports usage within its estimate against its reservation. Committed spend must
    /// never pass the limit, and the budget must still be used nearly to its limit.
    @Test func sixtyFourRacingAgentsNeverPushCommittedSpendPastTheLimit() async throws {
        // The 64 agents all come from 127.0.0.1, and 64 is also the default per-client
        // connection limit. A connection reopened while the server still counts the old one
        // would be refused. On a loaded machine, an agent that waits 15 s between requests could
        // also lose its connection to the idle timeout. Both are the listener's business, not
        // this race's, so this test lifts both limits.
        let fixture = try RulesFixture(config: "http:\n  max_connections_per_client: 0\n  idle_timeout: 10m\n")
        defer { fixture.remove() }
        try Self.writeDenyingBudget(fixture, name: "race", limit: "1.00 USD")
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let base = warden.baseURL
        // Estimate: 1000 in + 1000 out = 0.0125; actual: 1000 in + 500 out = 0.0075.
        let costs = try await withThrowingTaskGroup(of: [Decimal].self) { group in
            for agent in 0..<64 {
                group.addTask {
                    var committed: [Decimal] = []
                    for attempt in 0..<40 {
                        let answer = try await Self.check(base, agent: "agent-\(agent)")
                        let body = try answer.jsonObject()
                        if answer.status == 403 {
                            #expect(body["decision"] as? String == "deny")
                            break
                        }
                        #expect(answer.status == 200, "\(answer.text)")
                        let reservation = try #require((body["reservation"] as? [String: Any])?["id"] as? String)
                        let recorded = try await Self.usage(base, id: "race-\(agent)-\(attempt)", input: 1000, output: 500,
                                                            agent: "agent-\(agent)", reservation: reservation)
                        #expect(recorded.status == 200, "\(recorded.text)")
                        let result = try #require((try recorded.jsonObject()["results"] as? [[String: Any]])?.first)
                        committed.append(try #require(Decimal(string: result["cost"] as? String ?? "")))
                    }
                    return committed
                }
            }
            var all: [Decimal] = []
            for try await costs in group { all += costs }
            return all
        }
        let total = costs.reduce(0, +)
        #expect(total <= Decimal(string: "1.00")!, "committed \(total) passed the 1.00 USD limit")
        // Every agent stops at its first deny, so the last allowed check left less than one
        // estimate (0.0125) of room, minus what estimates in flight held back.
        #expect(total >= Decimal(string: "0.50")!, "only \(total) was committed: checks were denied too early")
        let metrics = try await HTTP.get("\(base)/metrics").text
        let used = try #require(Self.metric(metrics, "tokenwarden_budget_used{budget=\"race\",org=\"acme\",unit=\"USD\"}"))
        #expect(abs(used - NSDecimalNumber(decimal: total).doubleValue) < 1e-9)
        #expect(Self.metric(metrics, "tokenwarden_budget_reserved{budget=\"race\",org=\"acme\",unit=\"USD\"}") == 0)
        #expect(Self.metric(metrics, "tokenwarden_reservations_active") == 0)
        await warden.stop()
    }

    // MARK: restarts

    /// Reservations held when the daemon stops gracefully are held again after it starts: the
    /// budget's reserved amount is the same, a check that would pass the limit on top of them is
    /// still denied, and the agent can still commit its reservation to the new process.
    @Test func aGracefulRestartKeepsLiveReservationsAndTheLimit() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        try Self.writeRules(fixture, "budgets.yaml", """
            budgets:
              - name: held
                scope: {org: acme}
                period: total
                limit: "0.03 USD"
                thresholds:
                  - {at: 100%, action: deny}
            """)
        let reserved = "tokenwarden_budget_reserved{budget=\"held\",org=\"acme\",unit=\"USD\"}"
        let first = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        // Two checks of 0.0125 each hold 0.025 of the 0.03 limit.
        var ids: [String] = []
        for _ in 0..<2 {
            let answer = try await Self.check(first.baseURL)
            #expect(answer.status == 200, "\(answer.text)")
            ids.append(try #require((try answer.jsonObject()["reservation"] as? [String: Any])?["id"] as? String))
        }
        #expect(try await Self.check(first.baseURL).status == 403)
        let before = try await HTTP.get("\(first.baseURL)/metrics").text
        #expect(Self.metric(before, reserved) == 0.025)
        #expect(await first.stop(signal: SIGTERM) == 0)
        #expect(first.log.contains("reservations saved"))

        let second = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let after = try await HTTP.get("\(second.baseURL)/metrics").text
        #expect(Self.metric(after, reserved) == 0.025)
        #expect(Self.metric(after, "tokenwarden_reservations_active") == 2)
        let denied = try await Self.check(second.baseURL)
        #expect(denied.status == 403, "the restart forgot what was held: \(denied.text)")
        // The agents report against the old process's reservations: 0.0075 each, 0.015 in all.
        for (number, id) in ids.enumerated() {
            let recorded = try await Self.usage(second.baseURL, id: "held-\(number)", input: 1000, output: 500, reservation: id)
            #expect(recorded.status == 200, "\(recorded.text)")
        }
        let committed = try await HTTP.get("\(second.baseURL)/metrics").text
        #expect(Self.metric(committed, reserved) == 0)
        #expect(Self.metric(committed, "tokenwarden_reservations_active") == 0)
        #expect(Self.metric(committed, "tokenwarden_budget_used{budget=\"held\",org=\"acme\",unit=\"USD\"}") == 0.015)
        #expect(try await Self.check(second.baseURL).status == 200)
        await second.stop()

        // The next restart holds only what was live at its stop: the last check's reservation,
        // not the two committed ones (the saved rows were taken when the second process started).
        let third = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let last = try await HTTP.get("\(third.baseURL)/metrics").text
        #expect(Self.metric(last, "tokenwarden_reservations_active") == 1)
        await third.stop()
    }

    /// `reservations.max_active` bounds the memory of checks that are never committed: past it,
    /// a check that would reserve is answered 503 with `Retry-After`, and counted.
    @Test func checksPastTheReservationCapAre503UntilOneIsReleased() async throws {
        let fixture = try RulesFixture(config: "reservations:\n  max_active: 1\n")
        defer { fixture.remove() }
        try Self.writeDenyingBudget(fixture, name: "capped", limit: "10.00 USD")
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let first = try await Self.check(warden.baseURL)
        #expect(first.status == 200)
        let id = try #require((try first.jsonObject()["reservation"] as? [String: Any])?["id"] as? String)
        let full = try await Self.check(warden.baseURL)
        #expect(full.status == 503, "\(full.text)")
        #expect(full.header("Retry-After").flatMap(Int.init).map { $0 >= 1 && $0 <= 300 } == true, "\(full.headers)")
        #expect((try full.jsonObject()["error"] as? String)?.contains("reservations.max_active") == true)
        let metrics = try await HTTP.get("\(warden.baseURL)/metrics").text
        #expect(Self.metric(metrics, "tokenwarden_reservations_refused_total") == 1)
        #expect(Self.metric(metrics, "tokenwarden_reservations_active") == 1)
        #expect(Self.metric(metrics, "tokenwarden_budget_reserved{budget=\"capped\",org=\"acme\",unit=\"USD\"}") == 0.0125)
        let released = try await HTTP.request("DELETE", "\(warden.baseURL)/v1/reservations/\(id)")
        #expect(released.status == 204)
        #expect(try await Self.check(warden.baseURL).status == 200)
        await warden.stop()
    }

    // MARK: thresholds in order

    @Test func thresholdsFireInOrderWithAuditRowsAndMetrics() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        try Self.writeRules(fixture, "budgets.yaml", """
            budgets:
              - name: ladder
                scope: {org: acme}
                per: [team]
                period: monthly
                timezone: Europe/Berlin
                limit: "1.00 USD"
                thresholds:
                  - {at: 50%, action: notify}
                  - {at: 80%, action: warn}
                  - {at: 100%, action: throttle}
                  - {at: 120%, action: deny, message: "ladder exhausted"}
            """)
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let base = warden.baseURL
        // 120_000 input tokens at 2.50/M = 0.30 USD: usage goes 0.30, 0.60, 0.90, 1.05, 1.35.
        let inputs = [120_000, 120_000, 120_000, 60_000, 120_000]
        let decisionsAfter = ["allow", "allow", "warn", "throttle", "deny"]
        for index in 0..<5 {
            let recorded = try await Self.usage(base, id: "ladder-\(index)", input: inputs[index], output: 0)
            #expect(recorded.status == 200, "\(recorded.text)")
            let answer = try await Self.check(base, input: 0, output: 0)
            let body = try answer.jsonObject()
            #expect(body["decision"] as? String == decisionsAfter[index], "after \(index + 1) events: \(answer.text)")
            if decisionsAfter[index] == "throttle" {
                #expect(answer.status == 429)
                #expect(Int(answer.header("Retry-After") ?? "") ?? 0 > 0, "\(answer.headers)")
            }
            if decisionsAfter[index] == "deny" { #expect(answer.status == 403) }
        }
        // Audit rows are appended off the request path: under load the last event's crossing and
        // the deny's row can arrive a moment after the answers, so wait (at most 10 s) for them.
        var events: [[String: Any]] = []
        _ = try await poll(for: .seconds(10), every: .milliseconds(100), until: {
            let audit = try await HTTP.get("\(base)/v1/audit?kind=budget&rule=ladder").jsonObject()
            events = try #require(audit["events"] as? [[String: Any]])
            return events.contains(where: { $0["action"] as? String == "deny" })
                && events.filter({ $0["action"] as? String == "threshold_crossed_up" }).count >= 4
        })
        let crossings = events.filter { $0["action"] as? String == "threshold_crossed_up" }
        #expect(crossings.compactMap { ($0["detail"] as? [String: Any])?["at"] as? String } == ["50%", "80%", "100%", "120%"])
        #expect(crossings.compactMap { $0["decision"] as? String } == ["notify", "warn", "throttle", "deny"])
        #expect(crossings.allSatisfy { ($0["scope"] as? [String: String]) == ["org": "acme", "team": "search"] })
        #expect(crossings.last?["observed"] as? String == "1.35")
        #expect(crossings.last?["limit"] as? String == "1")
        #expect(events.contains { $0["action"] as? String == "throttle_started" })
        #expect(events.contains { $0["action"] as? String == "deny" && ($0["detail"] as? [String: Any])?["message"] as? String == "ladder exhausted" })

        let metrics = try await HTTP.get("\(base)/metrics").text
        let labels = "budget=\"ladder\",org=\"acme\",team=\"search\""
        #expect(Self.metric(metrics, "tokenwarden_budget_step{\(labels),step=\"deny\"}") == 1)
        #expect(Self.metric(metrics, "tokenwarden_budget_step{\(labels),step=\"warn\"}") == 0)
        #expect(Self.metric(metrics, "tokenwarden_budget_usage_ratio{\(labels),unit=\"USD\"}") == 1.35)
        #expect(Self.metric(metrics, "tokenwarden_decisions_total{decision=\"deny\",kind=\"budget\",rule=\"ladder\"}") == 1)
        #expect(Self.metric(metrics, "tokenwarden_decisions_total{decision=\"throttle\",kind=\"budget\",rule=\"ladder\"}") == 1)
        #expect((Self.metric(metrics, "tokenwarden_budget_period_end_timestamp_seconds{\(labels)}") ?? 0) > Date().timeIntervalSince1970)
        await warden.stop()

        // A restart rebuilds the budget from the recorded usage: still at the deny step.
        let again = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let answer = try await Self.check(again.baseURL, input: 0, output: 0)
        #expect(answer.status == 403, "\(answer.text)")
        await again.stop()
    }

    // MARK: quotas, policies, reservations

    @Test func quotasThrottleWithRateLimitHeadersAndPoliciesDecide() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        try Self.writeRules(fixture, "rules.yaml", """
            quotas:
              - name: agent-requests
                per: [agent]
                requests: 3
                window: 1h
            policies:
              - name: interns-no-frontier
                when: 'team == "interns" && model =~ "^gpt-4.*"'
                action: deny
                message: "interns may not use frontier models"
              - name: big-requests
                when: 'estimated_tokens > 100000'
                action: require_approval
            """)
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let base = warden.baseURL
        for _ in 0..<3 {
            let answer = try await Self.check(base, agent: "q1")
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.header("RateLimit-Policy") == "\"agent-requests\";q=3;w=3600")
        }
        let throttled = try await Self.check(base, agent: "q1")
        #expect(throttled.status == 429, "\(throttled.text)")
        let retry = try #require(Int(throttled.header("Retry-After") ?? ""))
        #expect(retry > 1000 && retry <= 1200, "one request per 20 minutes: \(retry)")
        #expect(throttled.header("RateLimit")?.hasPrefix("\"agent-requests\";r=0;") == true)
        #expect(try throttled.jsonObject()["retry_after_seconds"] as? Int == retry)

        let denied = try await Self.check(base, team: "interns", agent: "q2")
        #expect(denied.status == 403)
        #expect(try denied.jsonObject()["decision"] as? String == "deny")
        let approval = try await Self.check(base, input: 200_000, agent: "q3")
        #expect(approval.status == 403)
        #expect(try approval.jsonObject()["decision"] as? String == "require_approval")

        // A reservation released by DELETE gives its request back to the quota.
        let held = try await Self.check(base, agent: "q4").jsonObject()
        let id = try #require((held["reservation"] as? [String: Any])?["id"] as? String)
        #expect(try await HTTP.request("DELETE", "\(base)/v1/reservations/\(id)").status == 204)
        #expect(try await HTTP.request("DELETE", "\(base)/v1/reservations/\(id)").status == 404)

        let metrics = try await HTTP.get("\(base)/metrics").text
        #expect(Self.metric(metrics, "tokenwarden_quota_throttled_total{quota=\"agent-requests\"}") == 1)
        #expect(Self.metric(metrics, "tokenwarden_policy_violations_total{policy=\"interns-no-frontier\",action=\"deny\"}") == 1)
        #expect(Self.metric(metrics, "tokenwarden_policy_violations_total{policy=\"big-requests\",action=\"require_approval\"}") == 1)
        #expect(Self.metric(metrics, "tokenwarden_rules_loaded{kind=\"quota\"}") == 1)
        #expect(Self.metric(metrics, "tokenwarden_rules_loaded{kind=\"policy\"}") == 2)
        #expect((Self.metric(metrics, "tokenwarden_check_duration_seconds_count") ?? 0) >= 7)
        let bad = try await HTTP.postJSON("\(base)/v1/check", "{\"provider\":\"openai\",\"modle\":\"gpt-4o\"}")
        #expect(bad.status == 400)
        #expect(bad.text.contains("modle") && bad.text.contains("model"))
        await warden.stop()
    }

    /// Unclaimed reservations expire after the TTL: each one is an audit row with its id, scope and
    /// estimate, and its hold on the budget is gone. 80 of them, more than the server expires per
    /// hold of the engine's lock, so the chunks must add up.
    @Test func unclaimedReservationsExpireWithAnAuditRowEachAndFreeTheBudget() async throws {
        let fixture = try RulesFixture(config: "reservations:\n  ttl: 1s\n")
        defer { fixture.remove() }
        try Self.writeDenyingBudget(fixture, name: "held", limit: "1.00 USD")
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let base = warden.baseURL
        // Each check reserves 0.0125 USD: 80 fill the budget exactly (some may expire before the
        // last is made, which only leaves more room).
        var ids: Set<String> = []
        for index in 0..<80 {
            let answer = try await Self.check(base, agent: "agent-\(index % 4)")
            #expect(answer.status == 200, "\(answer.text)")
            ids.insert(try #require((try answer.jsonObject()["reservation"] as? [String: Any])?["id"] as? String))
        }

        var events: [[String: Any]] = []
        _ = try await poll(for: .seconds(10), every: .milliseconds(100), until: {
            let audit = try await HTTP.get("\(base)/v1/audit?kind=reservation").jsonObject()
            events = try #require(audit["events"] as? [[String: Any]])
            return events.count >= 80
        })
        #expect(events.count == 80)
        #expect(events.allSatisfy { $0["action"] as? String == "reservation_expired" })
        #expect(Set(events.compactMap { ($0["detail"] as? [String: Any])?["id"] as? String }) == ids)
        #expect(events.allSatisfy { ($0["detail"] as? [String: Any])?["tokens"] as? Int == 2000 })
        #expect(events.allSatisfy { $0["observed"] as? String == "0.0125" })
        #expect(Set(events.compactMap { ($0["scope"] as? [String: String])?["agent"] }) == ["agent-0", "agent-1", "agent-2", "agent-3"])

        let metrics = try await HTTP.get("\(base)/metrics").text
        #expect(Self.metric(metrics, "tokenwarden_reservations_expired_total") == 80)
        #expect(Self.metric(metrics, "tokenwarden_reservations_active") == 0)
        // The holds are gone: a check estimated at the whole limit (100k output tokens, 1.00 USD)
        // passes, which one cent still held would deny.
        let whole = try await Self.check(base, input: 0, output: 100_000)
        #expect(whole.status == 200, "\(whole.text)")
        await warden.stop()
    }

    // MARK: reload

    @Test func aBrokenReloadKeepsTheOldRulesAndAFixedOneSwapsIn() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        try Self.writeRules(fixture, "policies.yaml", """
            policies:
              - name: no-interns
                when: 'team == "interns"'
                action: deny
            """)
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let base = warden.baseURL
        #expect(try await Self.check(base, team: "interns").status == 403)

        try Self.writeRules(fixture, "policies.yaml", """
            policies:
              - name: no-interns
                when: 'team == "interns" &&'
                action: deny
            """)
        let failed = try await HTTP.request("POST", "\(base)/-/reload")
        #expect(failed.status == 400, "\(failed.text)")
        #expect(failed.text.contains("policies.yaml:3:"), "\(failed.text)")
        var metrics = try await HTTP.get("\(base)/metrics").text
        #expect(Self.metric(metrics, "tokenwarden_rules_last_reload_successful") == 0)
        #expect(try await Self.check(base, team: "interns").status == 403, "the old rules stay in force")

        try Self.writeRules(fixture, "policies.yaml", """
            policies:
              - name: no-interns
                when: 'team == "interns"'
                action: warn
            """)
        // SIGHUP reloads as POST /-/reload does.
        kill(warden.process.processIdentifier, SIGHUP)
        let reloaded = try await poll(for: .seconds(5), every: .milliseconds(50), until: {
            metrics = try await HTTP.get("\(base)/metrics").text
            return Self.metric(metrics, "tokenwarden_rules_last_reload_successful") == 1
        })
        #expect(reloaded, "SIGHUP did not reload the rules")
        let answer = try await Self.check(base, team: "interns")
        #expect(answer.status == 200)
        #expect(try answer.jsonObject()["decision"] as? String == "warn")

        let audit = try await HTTP.get("\(base)/v1/audit?kind=reload").jsonObject()
        let actions = try #require(audit["events"] as? [[String: Any]]).compactMap { $0["action"] as? String }
        #expect(actions == ["rules_reload_failed", "rules_reloaded"])
        await warden.stop()
    }

    // MARK: tampering

    @Test func anAuditRowEditedInSQLiteIsNamedByAuditVerify() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        try Self.writeRules(fixture, "policies.yaml", """
            policies:
              - name: no-interns
                when: 'team == "interns"'
                action: deny
            """)
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        for _ in 0..<3 { _ = try await Self.check(warden.baseURL, team: "interns") }
        await warden.stop()

        let binary = WardenProcess.binaryPath
        let clean = try Tools.run(executable: binary, ["audit", "verify", "--data", fixture.database])
        #expect(clean.status == 0, "\(clean.output)")

        let edit = try Tools.run("sqlite3", [fixture.database,
                                             "UPDATE audit_event SET decision = 'allow' WHERE seq = 4;"])
        #expect(edit.status == 0, "\(edit.output)")
        let tampered = try Tools.run(executable: binary, ["audit", "verify", "--data", fixture.database])
        #expect(tampered.status != 0, "\(tampered.output)")
        #expect(tampered.output.contains("row 4"), "\(tampered.output)")
    }
}
