import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

/// Budget overrides against the real binary over real HTTP: four eyes, automatic approval only
/// when configured, expiry (also across SIGKILL and a restart), the refusal without keys, the
/// command line against a running server and offline, and the audit chain over the new rows.
@Suite("Overrides end to end", .serialized)
struct OverridesEndToEndTests {
    static let rules = """
        budgets:
          - name: team-monthly
            scope: {org: acme}
            per: [team]
            period: monthly
            limit: "1.00 USD"
            thresholds:
              - {at: 100%, action: deny}
        """

    /// 400,000 input tokens of gpt-4o at 2.50 USD per million: exactly the 1.00 USD limit.
    static func spend(_ id: String, team: String = "search") -> String { usageEvent(id, input: 400_000, output: 0, team: team) }

    static let check = #"{"provider":"openai","model":"gpt-4o","estimated_input_tokens":1000,"attribution":{"org":"acme","team":"search"}}"#

    /// A running server with keys: ops (admin), alice (check), bob and carol (approver).
    struct Setup {
        let fixture: RulesFixture
        let warden: WardenProcess
        let keys: [String: String]

        func send(_ method: String, _ path: String, _ body: String? = nil, as name: String) async throws -> HTTP.Response {
            var headers = ["Authorization": "Bearer \(keys[name]!)"]
            if body != nil { headers["Content-Type"] = "application/json" }
            return try await HTTP.request(method, warden.baseURL + path, body: body.map { Data($0.utf8) }, headers: headers)
        }

        func checkStatus() async throws -> Int { try await send("POST", "/v1/check", OverridesEndToEndTests.check, as: "alice").status }

        func request(_ change: String, _ duration: String = "48h", team: String = "search", as name: String = "alice") async throws -> HTTP.Response {
            try await send("POST", "/v1/overrides", #"{"budget":"team-monthly","instance":{"team":"\#(team)"},"change":"\#(change)","for":"\#(duration)","reason":"launch week"}"#, as: name)
        }

        func auditRows() async throws -> [[String: Any]] {
            try await send("GET", "/v1/audit?kind=override", as: "ops").jsonObject()["events"] as? [[String: Any]] ?? []
        }
    }

    static func start(config: String = "", spend teams: [String] = ["search"]) async throws -> Setup {
        let fixture = try RulesFixture(config: config)
        try rules.write(toFile: fixture.rules + "/budgets.yaml", atomically: true, encoding: .utf8)
        var keys: [String: String] = [:]
        for (name, role) in [("ops", "admin"), ("alice", "check"), ("bob", "approver"), ("carol", "approver")] {
            keys[name] = try AuthEndToEndTests.create(name, role, fixture)
        }
        keys["searchers"] = try AuthEndToEndTests.create("searchers", "read", fixture, extra: ["--scope", "team=search"])
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let setup = Setup(fixture: fixture, warden: warden, keys: keys)
        for team in teams {
            #expect(try await setup.send("POST", "/v1/usage", spend("spend-\(team)", team: team), as: "ops").status == 200)
        }
        return setup
    }

    /// Polls until the check answers `status` (usage and expiries apply within a tick).
    static func awaitCheck(_ setup: Setup, _ status: Int, within seconds: Int = 5) async throws -> Bool {
        try await poll(for: .seconds(seconds), every: .milliseconds(100)) { try await setup.checkStatus() == status }
    }

    // MARK: four eyes

    @Test func selfApprovalIsRefusedAndAnotherApproverUnblocksTheDeniedTeam() async throws {
        let setup = try await Self.start()
        defer { setup.fixture.remove() }
        #expect(try await Self.awaitCheck(setup, 403), "the spent team is denied")

        let requested = try await setup.request("+5.00 USD", as: "bob")
        #expect(requested.status == 201, "\(requested.text)")
        let body = try requested.jsonObject()
        let id = try #require(body["id"] as? String)
        #expect(id.hasPrefix("ovr_"))
        #expect(body["status"] as? String == "pending")
        #expect(body["change"] as? String == "+5.00 USD")
        #expect(body["instance"] as? [String: String] == ["org": "acme", "team": "search"])
        #expect((body["requested_by"] as? String)?.hasPrefix("key:bob/") == true)
        #expect(try await setup.checkStatus() == 403, "a pending override changes nothing")

        let own = try await setup.send("POST", "/v1/overrides/\(id)/approve", as: "bob")
        #expect(own.status == 403)
        #expect(own.text.contains("four eyes"), "\(own.text)")
        let lacking = try await setup.send("POST", "/v1/overrides/\(id)/approve", as: "alice")
        #expect(lacking.status == 403)
        #expect(lacking.text.contains(#""missing_role":"approver""#), "\(lacking.text)")
        #expect(try await setup.checkStatus() == 403)

        let approved = try await setup.send("POST", "/v1/overrides/\(id)/approve", as: "carol")
        #expect(approved.status == 200, "\(approved.text)")
        #expect(try approved.jsonObject()["status"] as? String == "active")
        #expect(try await setup.checkStatus() == 200, "the next check sees the raised limit")

        let metrics = try await setup.send("GET", "/metrics", as: "ops").text
        #expect(metrics.contains(#"tokenwarden_budget_override_active{budget="team-monthly",org="acme",team="search"} 1"#))
        #expect(metrics.contains(#"tokenwarden_budget_limit{budget="team-monthly",org="acme",team="search",unit="USD"} 6"#))
        // The budget status shows the override, to an unscoped reader and to one scoped to the team.
        for reader in ["ops", "searchers"] {
            let status = try await setup.send("GET", "/v1/budgets/team-monthly", as: reader).jsonObject()
            let budgets = try #require(status["budgets"] as? [[String: Any]], "\(reader)")
            let search = try #require(budgets.first { ($0["scope"] as? [String: String])?["team"] == "search" }, "\(reader)")
            #expect((search["override"] as? [String: Any])?["id"] as? String == id, "\(reader)")
            #expect((search["override"] as? [String: Any])?["change"] as? String == "+5.00 USD", "\(reader)")
            let limit = try #require((search["limits"] as? [[String: Any]])?.first, "\(reader)")
            #expect(limit["override"] as? String == "5", "\(reader)")
            #expect(limit["effective"] as? String == "6", "\(reader)")
            if reader == "searchers" { #expect(budgets.count == 1, "a scoped key sees its own team only") }
        }
        let active = try await setup.send("GET", "/v1/overrides?status=active&budget=team-monthly", as: "alice").jsonObject()
        #expect((active["overrides"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
        #expect((try await setup.send("GET", "/v1/overrides?status=pending", as: "alice").jsonObject()["overrides"] as? [Any])?.isEmpty == true)

        let rows = try await setup.auditRows()
        #expect(rows.map { $0["action"] as? String ?? "" } == ["override_requested", "override_approved", "override_applied"])
        #expect((rows.first?["actor"] as? String)?.hasPrefix("key:bob/") == true)
        #expect((rows.last?["actor"] as? String)?.hasPrefix("key:carol/") == true)
        #expect(rows.allSatisfy { $0["rule"] as? String == "team-monthly" })

        let page = try await setup.send("GET", "/", as: "ops").text
        #expect(page.contains("<h2>Overrides</h2>") && page.contains(id))

        #expect(await setup.warden.stop() == 0)
        let verified = try Tools.run(executable: WardenProcess.binaryPath, ["audit", "verify", "--data", setup.fixture.database, "--rules", setup.fixture.rules])
        #expect(verified.status == 0, "\(verified.output)")
    }

    @Test func withoutConfigurationEvenASmallRaiseWaitsForAnApprover() async throws {
        let setup = try await Self.start()
        defer { setup.fixture.remove() }
        let small = try await setup.request("+0.01 USD")
        #expect(small.status == 201)
        #expect(try small.jsonObject()["status"] as? String == "pending")
        #expect(try await Self.awaitCheck(setup, 403))
        #expect(await setup.warden.stop() == 0)
    }

    @Test func raisesBelowTheConfiguredThresholdTakeEffectAtOnceAndLargerOnesWait() async throws {
        let setup = try await Self.start(config: "governance:\n  auto_approve_below: [\"1.00 USD\", \"1_000_000 tokens\"]\n")
        defer { setup.fixture.remove() }
        #expect(try await Self.awaitCheck(setup, 403))
        let large = try await setup.request("+1.00 USD")
        #expect(try large.jsonObject()["status"] as? String == "pending")
        #expect(try await setup.checkStatus() == 403)
        let large2 = try await setup.request("exempt", team: "ads")
        #expect(try large2.jsonObject()["status"] as? String == "pending", "an exemption always needs an approver")
        let small = try await setup.request("+0.50 USD", team: "search")
        #expect(small.status == 201)
        #expect(try small.jsonObject()["status"] as? String == "active")
        #expect(try await setup.checkStatus() == 200)
        let actions = try await setup.auditRows().map { $0["action"] as? String ?? "" }
        #expect(actions == ["override_requested", "override_requested", "override_requested", "override_applied"])
        #expect(await setup.warden.stop() == 0)
    }

    // MARK: expiry

    @Test func anExpiredOverrideRestoresTheLimit() async throws {
        let setup = try await Self.start(config: "governance:\n  auto_approve_below: [\"100.00 USD\"]\n")
        defer { setup.fixture.remove() }
        #expect(try await Self.awaitCheck(setup, 403))
        let created = try await setup.request("+5.00 USD", "2s")
        let id = try #require(try created.jsonObject()["id"] as? String)
        #expect(try await setup.checkStatus() == 200)
        #expect(try await Self.awaitCheck(setup, 403, within: 6), "the limit is back after 2s")
        let expired = try await setup.send("GET", "/v1/overrides?status=expired", as: "alice").jsonObject()
        #expect((expired["overrides"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
        let rows = try await setup.auditRows()
        #expect(rows.last?["action"] as? String == "override_expired")
        #expect(rows.last?["actor"] == nil || rows.last?["actor"] is NSNull)
        let metrics = try await setup.send("GET", "/metrics", as: "ops").text
        #expect(metrics.contains(#"tokenwarden_budget_override_active{budget="team-monthly",org="acme",team="search"} 0"#))
        #expect(await setup.warden.stop() == 0)
    }

    @Test func overridesSurviveASigkillAndExpireWhileTheServerIsDown() async throws {
        let setup = try await Self.start(config: "governance:\n  auto_approve_below: [\"100.00 USD\"]\n", spend: ["search", "ads"])
        defer { setup.fixture.remove() }
        #expect(try await Self.awaitCheck(setup, 403))
        let brief = try await setup.request("+5.00 USD", "3s")
        let briefID = try #require(try brief.jsonObject()["id"] as? String)
        let lasting = try await setup.request("+5.00 USD", "1h", team: "ads")
        let lastingID = try #require(try lasting.jsonObject()["id"] as? String)
        let adsCheck = Self.check.replacingOccurrences(of: "\"search\"", with: "\"ads\"")
        #expect(try await setup.checkStatus() == 200)
        let killedAt = ContinuousClock.now
        _ = await setup.warden.stop(signal: SIGKILL)
        try await Task.sleep(until: killedAt + .seconds(4), clock: .continuous)

        let restarted = try await WardenProcess(rules: setup.fixture.rules, database: setup.fixture.database)
        let again = Setup(fixture: setup.fixture, warden: restarted, keys: setup.keys)
        #expect(try await again.checkStatus() == 403, "the brief override expired while the server was down")
        #expect(try await again.send("POST", "/v1/check", adsCheck, as: "alice").status == 200, "the lasting one still applies")
        let listed = try await again.send("GET", "/v1/overrides", as: "ops").jsonObject()["overrides"] as? [[String: Any]] ?? []
        let statuses = Dictionary(uniqueKeysWithValues: listed.map { ($0["id"] as? String ?? "", $0["status"] as? String ?? "") })
        #expect(statuses == [briefID: "expired", lastingID: "active"])
        let expiredRows = try await again.auditRows().filter { $0["action"] as? String == "override_expired" }
        #expect(expiredRows.count == 1)
        #expect(await restarted.stop() == 0)
        let verified = try Tools.run(executable: WardenProcess.binaryPath, ["audit", "verify", "--data", setup.fixture.database, "--rules", setup.fixture.rules])
        #expect(verified.status == 0, "\(verified.output)")
    }

    // MARK: notifications

    @Test func aWebhookThatAsksForOverrideEventsIsToldOfARequestAtOnce() async throws {
        let receiver = WebhookReceiver(port: try FreePort.find())
        try receiver.listen()
        defer { receiver.close() }
        let setup = try await Self.start(config: """
            notifications:
              receivers:
                - name: approvers
                  webhook: {url: "\(receiver.url)", secret: "s"}
                  events: [override_requested, override_approved]
            """)
        defer { setup.fixture.remove() }
        let id = try #require(try await setup.request("+5.00 USD").jsonObject()["id"] as? String)
        // The dispatcher is woken by the change: far sooner than its idle wait of an hour.
        let delivered = try await poll(for: .seconds(10), every: .milliseconds(100)) { !receiver.deliveries.isEmpty }
        #expect(delivered)
        let body = try #require(receiver.deliveries.first.map { (try? JSONSerialization.jsonObject(with: $0.body)) as? [String: Any] } ?? nil)
        #expect(body["action"] as? String == "override_requested")
        #expect(body["kind"] as? String == "override")
        #expect((body["detail"] as? [String: Any])?["id"] as? String == id)
        #expect(receiver.deliveries.count == 1, "threshold and deny rows are not among the events asked for")
        #expect(await setup.warden.stop() == 0)
    }

    // MARK: without keys

    @Test func withoutKeysGovernanceAnswers409() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        try Self.rules.write(toFile: fixture.rules + "/budgets.yaml", atomically: true, encoding: .utf8)
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let body = #"{"budget":"team-monthly","instance":{"team":"search"},"change":"+5.00 USD","for":"1h","reason":"x"}"#
        let post = try await HTTP.request("POST", warden.baseURL + "/v1/overrides", body: Data(body.utf8), headers: ["Content-Type": "application/json"])
        #expect(post.status == 409)
        #expect(post.text == #"{"error":"governance needs API keys"}"#)
        let list = try await HTTP.get(warden.baseURL + "/v1/overrides")
        #expect(list.status == 409)
        #expect(list.text == #"{"error":"governance needs API keys"}"#)
        #expect(try await HTTP.request("POST", warden.baseURL + "/v1/overrides/ovr_1/approve").status == 409)
        #expect(await warden.stop() == 0)
    }

    // MARK: bad requests

    @Test func aBadRequestNamesItsFieldsAndChangesNothing() async throws {
        let setup = try await Self.start()
        defer { setup.fixture.remove() }
        let wrongUnit = try await setup.send("POST", "/v1/overrides",
            #"{"budget":"team-monthly","instance":{"team":"search"},"change":"+5 tokens","for":"1h","reason":"x"}"#, as: "alice")
        #expect(wrongUnit.status == 400)
        #expect(wrongUnit.text.contains(#""field":"change""#), "\(wrongUnit.text)")
        let tooLong = try await setup.send("POST", "/v1/overrides",
            #"{"budget":"team-monthly","instance":{"team":"search"},"change":"+5.00 USD","for":"31d","reason":"x"}"#, as: "alice")
        #expect(tooLong.status == 400)
        #expect(tooLong.text.contains(#""field":"for""#), "\(tooLong.text)")
        let noReason = try await setup.send("POST", "/v1/overrides", #"{"budget":"team-monthly","instance":{"team":"search"},"change":"exempt","for":"1h"}"#, as: "alice")
        #expect(noReason.text.contains(#""field":"reason""#), "\(noReason.text)")
        let listed = try await setup.send("GET", "/v1/overrides", as: "ops").jsonObject()
        #expect((listed["overrides"] as? [Any])?.isEmpty == true)
        #expect(try await setup.auditRows().isEmpty)
        #expect(await setup.warden.stop() == 0)
    }

    // MARK: the command line

    func overrides(_ arguments: [String]) throws -> (status: Int32, json: [String: Any]?, output: String) {
        let result = try Tools.run(executable: WardenProcess.binaryPath, ["overrides"] + arguments)
        let first = result.output.split(separator: "\n").first.map(String.init) ?? ""
        let json = (try? JSONSerialization.jsonObject(with: Data(first.utf8))) as? [String: Any]
        return (result.status, json, result.output)
    }

    @Test func theCommandLineRequestsAndApprovesAgainstTheRunningServerAndOfflineApprovalIsRefused() async throws {
        let setup = try await Self.start()
        defer { setup.fixture.remove() }
        #expect(try await Self.awaitCheck(setup, 403))
        var files: [String: String] = [:]
        for name in ["alice", "bob"] {
            let path = setup.fixture.directory.appendingPathComponent("\(name).key").path
            try (setup.keys[name]! + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            files[name] = path
        }
        let requested = try overrides(["request", "--url", setup.warden.baseURL, "--key-file", files["alice"]!, "--budget", "team-monthly",
                                       "--instance", "team=search", "--change", "+5.00 USD", "--for", "48h", "--reason", "launch week"])
        #expect(requested.status == 0, "\(requested.output)")
        let id = try #require(requested.json?["id"] as? String)
        #expect(requested.json?["status"] as? String == "pending")

        let offline = try overrides(["approve", id, "--data", setup.fixture.database, "--rules", setup.fixture.rules])
        #expect(offline.status == 1)
        #expect(offline.output.contains("offline approval cannot be the second pair of eyes"), "\(offline.output)")
        let offlineRequest = try overrides(["request", "--data", setup.fixture.database, "--rules", setup.fixture.rules, "--budget", "team-monthly",
                                            "--instance", "team=ads", "--change", "+1.00 USD", "--for", "1h", "--reason", "from the host"])
        #expect(offlineRequest.status == 0, "\(offlineRequest.output)")
        #expect(offlineRequest.json?["status"] as? String == "pending")
        #expect((offlineRequest.json?["requested_by"] as? String)?.hasPrefix("local:") == true)

        let approved = try overrides(["approve", id, "--url", setup.warden.baseURL, "--key-file", files["bob"]!])
        #expect(approved.status == 0, "\(approved.output)")
        #expect(approved.json?["status"] as? String == "active")
        #expect(try await setup.checkStatus() == 200)

        let listed = try overrides(["list", "--url", setup.warden.baseURL, "--key-file", files["alice"]!, "--status", "pending"])
        #expect(listed.status == 0)
        #expect(listed.output.contains("team=ads") && !listed.output.contains(id), "\(listed.output)")

        // Revoked on the file: the running server notices within a second.
        let revoked = try overrides(["revoke", id, "--data", setup.fixture.database, "--rules", setup.fixture.rules])
        #expect(revoked.status == 0, "\(revoked.output)")
        #expect(revoked.json?["status"] as? String == "revoked")
        #expect(try await Self.awaitCheck(setup, 403, within: 3), "the server still applies the revoked override")
        #expect(await setup.warden.stop() == 0)
    }
}
