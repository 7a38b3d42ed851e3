import Foundation
import Testing
import WardenHTTP

/// `POST /-/reload`, `GET /v1/audit` and `GET /v1/audit.csv` through the real rule host and
/// hash-chained audit log, in process.
@Suite("Reload and audit routes")
struct ReloadAndAuditRouteTests {
    static let internsPolicy = [
        "policies.yaml": """
            policies:
              - name: interns-denied
                when: 'team == "interns"'
                action: deny
            """,
    ]

    static let budget = """
        budgets:
          - name: acme-total
            scope: {org: acme}
            period: total
            limit: "100.00 USD"
        """

    /// Reloads, then waits until the audit rows it produced are in the log.
    private static func reload(_ warden: InProcessWarden) async throws -> RouteResponse {
        let response = try await warden.post("/-/reload", body: "", contentType: nil)
        warden.runtime.audit.flush()
        return response
    }

    @Test func aReloadIs200WithTheNewCounts() async throws {
        try await withWarden(rules: Self.internsPolicy) { warden in
            try warden.writeRuleFile("budgets.yaml", Self.budget)
            let response = try await Self.reload(warden)
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.text == #"{"status":"reloaded","budgets":1,"quotas":0,"policies":1}"#)
        }
    }

    @Test func reloadedRulesDecideTheNextCheck() async throws {
        try await withWarden { warden in
            #expect(try await warden.post("/v1/check", json: checkRequest(team: "interns")).status == 200)
            try warden.writeRuleFile("policies.yaml", Self.internsPolicy["policies.yaml"]!)
            _ = try await Self.reload(warden)
            #expect(try await warden.post("/v1/check", json: checkRequest(team: "interns")).status == 403)
        }
    }

    @Test func aBrokenRuleFileIs400WithEveryErrorLocated() async throws {
        try await withWarden(rules: Self.internsPolicy) { warden in
            try warden.writeRuleFile("broken.yaml", "budgets:\n  - name: b\n    colour: red\n")
            let response = try await Self.reload(warden)
            #expect(response.status == 400)
            let body = try response.json()
            #expect(Set(body.keys) == ["status", "errors"])
            #expect(body["status"] as? String == "failed")
            let errors = try #require(body["errors"] as? [String])
            #expect(!errors.isEmpty)
            let located = /.*\/broken\.yaml:\d+:\d+: .+/
            for error in errors { #expect(error.wholeMatch(of: located) != nil, "\(error)") }
            #expect(errors.contains { $0.contains("colour") })
        }
    }

    @Test func aFailedReloadKeepsTheRulesInForce() async throws {
        try await withWarden(rules: Self.internsPolicy) { warden in
            try warden.writeRuleFile("policies.yaml", "policies:\n  - name: interns-denied\n    when: 'team =='\n    action: deny\n")
            #expect(try await Self.reload(warden).status == 400)
            #expect(try await warden.post("/v1/check", json: checkRequest(team: "interns")).status == 403)
        }
    }

    // MARK: audit exports

    @Test func theAuditExportIsAHashChainedPageOfRows() async throws {
        try await withWarden(rules: Self.internsPolicy) { warden in
            _ = try await Self.reload(warden)
            _ = try await Self.reload(warden)
            let response = try await warden.get("/v1/audit", query: [("kind", "reload")])
            #expect(response.status == 200)
            #expect(response.streamed)
            #expect(response.header("Content-Type") == "application/json")
            let body = try response.json()
            #expect(Set(body.keys) == ["events", "next_cursor"])
            #expect(body["next_cursor"] is NSNull)
            let rows = try #require(body["events"] as? [[String: Any]])
            #expect(rows.map { $0["action"] as? String } == ["rules_reloaded", "rules_reloaded"])
            let first = try #require(rows.first)
            #expect(Set(first.keys) == ["seq", "time", "rule", "kind", "action", "scope", "decision", "observed", "limit", "detail",
                                        "prev_hash", "hash", "version", "actor"])
            #expect(first["version"] as? Int == 2, "keyed rows by default")
            #expect((first["hash"] as? String)?.count == 64)
            #expect((first["detail"] as? [String: Any])?["policies"] as? Int == 1)
            #expect(first["observed"] is NSNull)
            #expect(rows[1]["prev_hash"] as? String == first["hash"] as? String, "each row names the hash of the one before")
        }
    }

    @Test func aFullAuditPageCarriesTheNextCursor() async throws {
        try await withWarden { warden in
            _ = try await Self.reload(warden)
            _ = try await Self.reload(warden)
            let page = try await warden.get("/v1/audit", query: [("limit", "1"), ("action", "rules_reloaded")]).json()
            let rows = try #require(page["events"] as? [[String: Any]])
            #expect(rows.count == 1)
            #expect(page["next_cursor"] as? String == "\(rows[0]["seq"] as? Int ?? -1)")
        }
    }

    @Test func theAuditCSVIsAnAttachmentWithAHeaderRow() async throws {
        try await withWarden { warden in
            _ = try await Self.reload(warden)
            let response = try await warden.get("/v1/audit.csv", query: [("kind", "reload")])
            #expect(response.status == 200)
            #expect(response.streamed)
            #expect(response.header("Content-Type") == "text/csv; charset=utf-8; header=present")
            #expect(response.header("Content-Disposition") == #"attachment; filename="tokenwarden-audit.csv""#)
            let lines = response.csvLines
            #expect(lines.first == "seq,time,rule,kind,action,scope,decision,observed,limit,detail,prev_hash,hash,version,actor")
            #expect(lines.count == 2)
            #expect(lines.last?.hasSuffix(",2,") == true, "version 2, no actor without keys")
            #expect(lines.last?.contains(",reload,rules_reloaded,") == true)
        }
    }

    @Test func anUnknownAuditKindIs400ListingTheKinds() async throws {
        try await withWarden { warden in
            let response = try await warden.get("/v1/audit", query: [("kind", "bogus")])
            #expect(response.status == 400)
            #expect(try response.json()["error"] as? String
                == #"query parameter kind must be one of budget, quota, policy, reservation, reload, audit, key, override, approval, not "bogus""#)
        }
    }

    @Test func anUnknownAuditQueryParameterIs400NamingIt() async throws {
        try await withWarden { warden in
            let response = try await warden.get("/v1/audit.csv", query: [("team", "search")])
            #expect(response.status == 400)
            #expect((try response.json()["error"] as? String)?.hasPrefix(#"unknown query parameter "team""#) == true)
        }
    }
}
