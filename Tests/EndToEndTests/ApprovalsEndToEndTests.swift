import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

/// `require_approval` against the real binary over real HTTP: the refusal carries an approval
/// request, four eyes decide it, the requesting key's retries use it within its estimate and
/// uses, rejection and expiry end it, the refusal without keys stays plain, the command line
/// works against the server and offline, and the audit chain verifies over the new rows.
@Suite("Approvals end to end", .serialized)
struct ApprovalsEndToEndTests {
    static let rules = """
        policies:
          - name: max-request-cost
            when: 'estimated_cost > 1.00'
            action: require_approval
        """

    /// 1,000,000 input tokens of gpt-4o at 2.50 USD per million: 2.50 USD, above the policy's 1.00.
    static func check(tokens: Int = 1_000_000, team: String = "search", approval: String? = nil) -> String {
        let named = approval.map { #","approval_id":"\#($0)""# } ?? ""
        return #"{"provider":"openai","model":"gpt-4o","estimated_input_tokens":\#(tokens)\#(named),"attribution":{"org":"acme","team":"\#(team)"}}"#
    }

    /// A running server with keys: ops (admin), alice (check), bob (check and approver), carol (approver).
    struct Setup {
        let fixture: RulesFixture
        let warden: WardenProcess
        let keys: [String: String]

        func send(_ method: String, _ path: String, _ body: String? = nil, as name: String) async throws -> HTTP.Response {
            var headers = ["Authorization": "Bearer \(keys[name]!)"]
            if body != nil { headers["Content-Type"] = "application/json" }
            return try await HTTP.request(method, warden.baseURL + path, body: body.map { Data($0.utf8) }, headers: headers)
        }

        func check(tokens: Int = 1_000_000, approval: String? = nil, as name: String = "alice") async throws -> HTTP.Response {
            try await send("POST", "/v1/check", ApprovalsEndToEndTests.check(tokens: tokens, approval: approval), as: name)
        }

        /// The approval a refused check asked for.
        func requestApproval(as name: String = "alice") async throws -> String {
            let refused = try await check(as: name)
            #expect(refused.status == 403, "\(refused.text)")
            let approval = try #require(try refused.jsonObject()["approval"] as? [String: Any], "\(refused.text)")
            #expect(approval["status"] as? String == "pending")
            return try #require(approval["id"] as? String)
        }

        func auditRows() async throws -> [[String: Any]] {
            try await send("GET", "/v1/audit?kind=approval", as: "ops").jsonObject()["events"] as? [[String: Any]] ?? []
        }
    }

    static func start(config: String = "") async throws -> Setup {
        let fixture = try RulesFixture(config: config)
        try rules.write(toFile: fixture.rules + "/policies.yaml", atomically: true, encoding: .utf8)
        var keys: [String: String] = [:]
        for (name, role) in [("ops", "admin"), ("alice", "check"), ("bob", "check,approver"), ("carol", "approver")] {
            keys[name] = try AuthEndToEndTests.create(name, role, fixture)
        }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        return Setup(fixture: fixture, warden: warden, keys: keys)
    }

    @Test func anApprovedRequestLetsTheSameKeysRetriesThroughAsOftenAsGranted() async throws {
        let setup = try await Self.start()
        defer { setup.fixture.remove() }
        let id = try await setup.requestApproval()
        #expect(id.hasPrefix("apr_"))
        let repeated = try await setup.check()
        #expect((try repeated.jsonObject()["approval"] as? [String: Any])?["id"] as? String == id, "a repeat reuses the pending request")

        let early = try await setup.check(approval: id)
        #expect(early.status == 403)
        #expect(early.text.contains(#""field":"approval_id""#) && early.text.contains("pending"), "\(early.text)")

        let lacking = try await setup.send("POST", "/v1/approvals/\(id)/approve", as: "alice")
        #expect(lacking.status == 403)
        #expect(lacking.text.contains(#""missing_role":"approver""#), "\(lacking.text)")
        let approved = try await setup.send("POST", "/v1/approvals/\(id)/approve", #"{"uses": 2, "for": "1h"}"#, as: "carol")
        #expect(approved.status == 200, "\(approved.text)")
        let body = try approved.jsonObject()
        #expect(body["status"] as? String == "approved")
        #expect(body["uses"] as? Int == 2)
        #expect(body["estimated_cost"] as? String == "2.5")
        #expect(body["policies"] as? [String] == ["max-request-cost"])

        let above = try await setup.check(tokens: 1_000_001, approval: id)
        #expect(above.status == 403, "a retry above the approved estimate")
        #expect(above.text.contains("exceed"), "\(above.text)")
        let others = try await setup.check(approval: id, as: "bob")
        #expect(others.status == 403, "another key's retry")
        #expect(others.text.contains("another key"), "\(others.text)")

        let first = try await setup.check(approval: id)
        #expect(first.status == 200, "\(first.text)")
        #expect(try first.jsonObject()["decision"] as? String == "allow")
        let second = try await setup.check(tokens: 500_000, approval: id)
        #expect(second.status == 200, "\(second.text)")
        let third = try await setup.check(approval: id)
        #expect(third.status == 403)
        #expect(third.text.contains("used up"), "\(third.text)")
        #expect(try await setup.check().status == 403, "without the id the policy still refuses")

        let used = try await setup.send("GET", "/v1/approvals?status=used", as: "alice").jsonObject()["approvals"] as? [[String: Any]]
        #expect(used?.map { $0["id"] as? String } == [id])
        #expect(used?.first?["used"] as? Int == 2)

        let rows = try await setup.auditRows()
        // The last check without the id asked anew: the used-up approval is no pending request to reuse.
        #expect(rows.map { $0["action"] as? String ?? "" }
                == ["approval_requested", "approval_approved", "approval_used", "approval_used", "approval_requested"])
        #expect((rows.first?["actor"] as? String)?.hasPrefix("key:alice/") == true)
        #expect((rows.dropFirst().first?["actor"] as? String)?.hasPrefix("key:carol/") == true)

        #expect(await setup.warden.stop() == 0)
        let verified = try Tools.run(executable: WardenProcess.binaryPath, ["audit", "verify", "--data", setup.fixture.database, "--rules", setup.fixture.rules])
        #expect(verified.status == 0, "\(verified.output)")
    }

    @Test func selfApprovalIsRefusedAndARejectedRequestCannotBeUsed() async throws {
        let setup = try await Self.start()
        defer { setup.fixture.remove() }
        let id = try await setup.requestApproval(as: "bob")
        let own = try await setup.send("POST", "/v1/approvals/\(id)/approve", as: "bob")
        #expect(own.status == 403)
        #expect(own.text.contains("four eyes"), "\(own.text)")
        let pending = try await setup.send("GET", "/v1/approvals?status=pending", as: "carol").jsonObject()["approvals"] as? [[String: Any]]
        #expect(pending?.map { $0["id"] as? String } == [id])
        let page = try await setup.send("GET", "/", as: "ops").text
        #expect(page.contains("<h2>Pending approvals</h2>") && page.contains(id))

        let rejected = try await setup.send("POST", "/v1/approvals/\(id)/reject", as: "carol")
        #expect(rejected.status == 200, "\(rejected.text)")
        #expect(try rejected.jsonObject()["status"] as? String == "rejected")
        let retry = try await setup.check(approval: id, as: "bob")
        #expect(retry.status == 403)
        #expect(retry.text.contains("rejected"), "\(retry.text)")
        #expect(try await setup.send("POST", "/v1/approvals/\(id)/approve", as: "carol").status == 409)
        let unknown = try await setup.check(approval: "apr_0000000000000000", as: "bob")
        #expect(unknown.status == 403)
        #expect(unknown.text.contains("no approval"), "\(unknown.text)")
        #expect(try await setup.auditRows().map { $0["action"] as? String ?? "" } == ["approval_requested", "approval_rejected"])
        #expect(await setup.warden.stop() == 0)
    }

    @Test func pendingRequestsAndUnusedApprovalsExpireAlsoAcrossARestart() async throws {
        let setup = try await Self.start(config: "governance:\n  approval_ttl: 2s\n")
        defer { setup.fixture.remove() }
        let pending = try await setup.requestApproval()
        let granted = try await setup.requestApproval(as: "bob")
        #expect(try await setup.send("POST", "/v1/approvals/\(granted)/approve", #"{"for": "3s"}"#, as: "carol").status == 200)
        #expect(await setup.warden.stop() == 0)
        try await Task.sleep(for: .seconds(3))
        let restarted = try await WardenProcess(rules: setup.fixture.rules, database: setup.fixture.database)
        let again = Setup(fixture: setup.fixture, warden: restarted, keys: setup.keys)
        let expired = try await poll(for: .seconds(5), every: .milliseconds(200)) {
            let rows = try await again.auditRows().filter { $0["action"] as? String == "approval_expired" }
            return rows.count == 2
        }
        #expect(expired, "both expired with a row")
        let listed = try await again.send("GET", "/v1/approvals?status=expired", as: "ops").jsonObject()["approvals"] as? [[String: Any]]
        #expect(Set(listed?.compactMap { $0["id"] as? String } ?? []) == [pending, granted])
        let late = try await again.check(approval: granted, as: "bob")
        #expect(late.status == 403)
        #expect(late.text.contains("expired"), "\(late.text)")
        #expect(await restarted.stop() == 0)
        let verified = try Tools.run(executable: WardenProcess.binaryPath, ["audit", "verify", "--data", setup.fixture.database, "--rules", setup.fixture.rules])
        #expect(verified.status == 0, "\(verified.output)")
    }

    @Test func withoutKeysTheRefusalStaysPlainAndTheApprovalPathsAnswer409() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        try Self.rules.write(toFile: fixture.rules + "/policies.yaml", atomically: true, encoding: .utf8)
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let refused = try await HTTP.request("POST", warden.baseURL + "/v1/check", body: Data(Self.check().utf8), headers: ["Content-Type": "application/json"])
        #expect(refused.status == 403)
        #expect(try refused.jsonObject()["decision"] as? String == "require_approval")
        #expect(try refused.jsonObject()["approval"] == nil, "\(refused.text)")
        let list = try await HTTP.get(warden.baseURL + "/v1/approvals")
        #expect(list.status == 409)
        #expect(list.text == #"{"error":"governance needs API keys"}"#)
        #expect(try await HTTP.request("POST", warden.baseURL + "/v1/approvals/apr_1/approve").status == 409)
        #expect(try await HTTP.request("POST", warden.baseURL + "/v1/approvals/apr_1/reject").status == 409)
        let named = try await HTTP.request("POST", warden.baseURL + "/v1/check", body: Data(Self.check(approval: "apr_1").utf8),
                                           headers: ["Content-Type": "application/json"])
        #expect(named.status == 400)
        #expect(named.text.contains(#""field":"approval_id""#), "\(named.text)")
        #expect(await warden.stop() == 0)
    }

    // MARK: the command line

    func approvals(_ arguments: [String]) throws -> (status: Int32, json: [String: Any]?, output: String) {
        let result = try Tools.run(executable: WardenProcess.binaryPath, ["approvals"] + arguments)
        let first = result.output.split(separator: "\n").first.map(String.init) ?? ""
        let json = (try? JSONSerialization.jsonObject(with: Data(first.utf8))) as? [String: Any]
        return (result.status, json, result.output)
    }

    @Test func theCommandLineListsAndApprovesAgainstTheServerAndRefusesAnOfflineApproval() async throws {
        let setup = try await Self.start()
        defer { setup.fixture.remove() }
        let id = try await setup.requestApproval()
        let other = try await setup.requestApproval(as: "bob")
        let carol = setup.fixture.directory.appendingPathComponent("carol.key").path
        try (setup.keys["carol"]! + "\n").write(toFile: carol, atomically: true, encoding: .utf8)
        let offline = ["--data", setup.fixture.database, "--rules", setup.fixture.rules]

        let listed = try approvals(["list", "--url", setup.warden.baseURL, "--key-file", carol, "--status", "pending"])
        #expect(listed.status == 0, "\(listed.output)")
        #expect(listed.output.contains(id) && listed.output.contains("max-request-cost"), "\(listed.output)")
        let refused = try approvals(["approve", id] + offline)
        #expect(refused.status == 1)
        #expect(refused.output.contains("offline approval cannot be the second pair of eyes"), "\(refused.output)")
        let approved = try approvals(["approve", id, "--uses", "3", "--url", setup.warden.baseURL, "--key-file", carol])
        #expect(approved.status == 0, "\(approved.output)")
        #expect(approved.json?["status"] as? String == "approved")
        #expect(approved.json?["uses"] as? Int == 3)
        #expect(try await setup.check(approval: id).status == 200)

        let rejected = try approvals(["reject", other] + offline)
        #expect(rejected.status == 0, "\(rejected.output)")
        #expect(rejected.json?["status"] as? String == "rejected")
        let listedOffline = try approvals(["list", "--format", "json"] + offline)
        #expect(listedOffline.status == 0, "\(listedOffline.output)")
        let rows = listedOffline.json?["approvals"] as? [[String: Any]]
        #expect(rows?.map { $0["status"] as? String } == ["approved", "rejected"])
        #expect(try await setup.check(approval: other, as: "bob").status == 403, "the server reads the rejection from the file")
        #expect(await setup.warden.stop() == 0)
    }
}
