import Foundation
import Testing
import WardenCore
import WardenHTTP
import WardenRuntime
import WardenStore

/// API keys through the real router: the 401 and 403 answers, Basic on reads, scope fill-in and
/// conflicts (nothing recorded), scoped reads, reservations per key, and the keys API.
@Suite("API key authentication")
struct AuthRouteTests {
    static let rules = [
        "budgets.yaml": """
            budgets:
              - name: acme-total
                scope: {org: acme}
                period: total
                limit: "100.00 USD"
                thresholds:
                  - {at: 100%, action: deny}
              - name: per-team
                per: [team]
                period: total
                limit: "100.00 USD"
                thresholds:
                  - {at: 100%, action: deny}
            """,
    ]

    static func key(_ warden: InProcessWarden, _ name: String, _ roles: [String], scope: [(key: String, value: String)] = []) throws -> String {
        try warden.runtime.keyAdministration.create(KeyRequest(name: name, roles: roles, scope: scope), actor: "local:test").token.description
    }

    static func bearer(_ key: String) -> [(name: String, value: String)] { [(name: "Authorization", value: "Bearer \(key)")] }

    static func post(_ warden: InProcessWarden, _ path: String, _ json: String, key: String?) async throws -> RouteResponse {
        var headers = [(name: "Content-Type", value: "application/json")]
        if let key { headers += bearer(key) }
        return try await warden.send(HTTPRequest(method: "POST", path: path, headers: headers, body: Array(json.utf8)))
    }

    static func get(_ warden: InProcessWarden, _ path: String, query: [(name: String, value: String)] = [], key: String?) async throws -> RouteResponse {
        try await warden.get(path, query: query, headers: key.map(bearer) ?? [])
    }

    @Test func onceAKeyExistsARequestWithoutOneIs401WithABearerChallenge() async throws {
        try await withWarden { warden in
            #expect(try await Self.get(warden, "/v1/usage", key: nil).status == 200)
            _ = try Self.key(warden, "ops", ["admin"])
            let response = try await Self.get(warden, "/v1/usage", key: nil)
            #expect(response.status == 401)
            #expect(response.text == #"{"error":"missing or unknown API key"}"#)
            #expect(response.headers.filter { $0.name == "WWW-Authenticate" }.map(\.value) == [#"Bearer realm="tokenwarden""#])
            let post = try await Self.post(warden, "/v1/usage", usageEvent("e1"), key: nil)
            #expect(post.status == 401)
            #expect(post.headers.filter { $0.name == "WWW-Authenticate" }.map(\.value) == [#"Bearer realm="tokenwarden""#])
        }
    }

    @Test func aBrowserAskingForThePageIsAlsoOfferedBasic() async throws {
        try await withWarden { warden in
            _ = try Self.key(warden, "ops", ["admin"])
            let response = try await warden.get("/", headers: [(name: "Accept", value: "text/html,application/xhtml+xml,*/*;q=0.8")])
            #expect(response.status == 401)
            #expect(response.headers.filter { $0.name == "WWW-Authenticate" }.map(\.value)
                == [#"Bearer realm="tokenwarden""#, #"Basic realm="tokenwarden", charset="UTF-8""#])
        }
    }

    @Test func healthAndReadinessNeedNoKey() async throws {
        try await withWarden { warden in
            _ = try Self.key(warden, "ops", ["admin"])
            #expect(try await Self.get(warden, "/-/healthy", key: nil).status == 200)
            #expect(try await Self.get(warden, "/-/ready", key: nil).status == 200)
        }
    }

    @Test func aKeyWithoutTheRoutesRoleIs403NamingTheMissingRole() async throws {
        try await withWarden(rules: Self.rules) { warden in
            let ci = try Self.key(warden, "ci", ["ingest"])
            let response = try await Self.post(warden, "/v1/check", checkRequest(), key: ci)
            #expect(response.status == 403)
            #expect(response.text == #"{"error":"key \"ci\" lacks role \"check\"","missing_role":"check"}"#)
        }
    }

    @Test func basicCredentialsOpenTheSpendPageButNotAWrite() async throws {
        try await withWarden { warden in
            let key = try Self.key(warden, "dash", ["read", "ingest"])
            let basic = "Basic " + Data("dash:\(key)".utf8).base64EncodedString()
            #expect(try await warden.get("/", headers: [(name: "Authorization", value: basic)]).status == 200)
            let post = try await warden.send(HTTPRequest(method: "POST", path: "/v1/usage",
                                                         headers: [(name: "Content-Type", value: "application/json"), (name: "Authorization", value: basic)],
                                                         body: Array(usageEvent("e1").utf8)))
            #expect(post.status == 401)
        }
    }

    @Test func aScopedKeysMissingLabelIsFilledInBeforeTheEventIsRecorded() async throws {
        try await withWarden(rules: Self.rules) { warden in
            let ci = try Self.key(warden, "ci", ["ingest"], scope: [("team", "search"), ("project", "x")])
            let event = #"{"id":"e1","provider":"openai","model":"gpt-4o","input_tokens":1000,"output_tokens":100,"attribution":{"org":"acme"}}"#
            #expect(try await Self.post(warden, "/v1/usage", event, key: ci).status == 200)
            let stored = try #require(try warden.runtime.store.usageEvents(UsageQuery()).first)
            #expect(stored.attributionJSON == #"{"org":"acme","project":"x","team":"search"}"#)
            // The budget per team counted it under the filled-in team.
            #expect(warden.runtime.rules.snapshot().budgets.contains { $0.budget == "per-team" && $0.labels == [AuditLabel(key: "team", value: "search")] })
        }
    }

    @Test func aBatchWithOneEventOutsideTheScopeIs403AndNothingOfItIsRecorded() async throws {
        try await withWarden { warden in
            let ci = try Self.key(warden, "ci", ["ingest"], scope: [("team", "search")])
            let response = try await Self.post(warden, "/v1/usage", "[\(usageEvent("e1")),\(usageEvent("e2", team: "ads"))]", key: ci)
            #expect(response.status == 403)
            #expect(response.text == #"{"errors":[{"index":1,"field":"attribution.team","message":"key is scoped to team=search"}]}"#)
            #expect(try warden.runtime.store.usageEventCount() == 0)
        }
    }

    @Test func aCheckOutsideTheScopeIs403WithTheFieldAndReservesNothing() async throws {
        try await withWarden(rules: Self.rules) { warden in
            let ci = try Self.key(warden, "ci", ["check"], scope: [("team", "search")])
            let response = try await Self.post(warden, "/v1/check", checkRequest(team: "ads"), key: ci)
            #expect(response.status == 403)
            #expect(response.text == #"{"errors":[{"field":"attribution.team","message":"key is scoped to team=search"}]}"#)
            #expect(warden.runtime.rules.snapshot().reservationsActive == 0)
        }
    }

    @Test func aScopedReaderExportsOnlyItsRowsAndAContradictingFilterIs403() async throws {
        try await withWarden { warden in
            let admin = try Self.key(warden, "ops", ["admin"])
            #expect(try await Self.post(warden, "/v1/usage", "[\(usageEvent("e1")),\(usageEvent("e2", team: "ads"))]", key: admin).status == 200)
            let reader = try Self.key(warden, "dash", ["read"], scope: [("team", "ads")])
            let page = try await Self.get(warden, "/v1/usage", key: reader).json()
            #expect((page["events"] as? [[String: Any]])?.map { $0["id"] as? String } == ["e2"])
            let csv = try await Self.get(warden, "/v1/usage.csv", key: reader)
            #expect(csv.csvLines.count == 2)
            let conflicting = try await Self.get(warden, "/v1/usage", query: [(name: "team", value: "search")], key: reader)
            #expect(conflicting.status == 403)
            #expect(conflicting.text == #"{"error":"query parameter team=search is outside the key's scope (team=ads)"}"#)
            #expect(try await Self.get(warden, "/v1/usage", query: [(name: "team", value: "ads")], key: reader).status == 200)
        }
    }

    @Test func aScopedReaderSeesOnlyAuditRowsInsideItsScope() async throws {
        try await withWarden { warden in
            _ = try Self.key(warden, "search-ci", ["check"], scope: [("team", "search")])
            _ = try Self.key(warden, "ads-ci", ["check"], scope: [("team", "ads")])
            let reader = try Self.key(warden, "dash", ["read"], scope: [("team", "ads")])
            let rows = try await Self.get(warden, "/v1/audit", key: reader).json()["events"] as? [[String: Any]]
            #expect(rows?.map { $0["rule"] as? String } == ["ads-ci", "dash"])
            #expect(rows?.first?["actor"] as? String == "local:test")
        }
    }

    @Test func metricsNeedAnUnscopedReader() async throws {
        try await withWarden { warden in
            let scoped = try Self.key(warden, "dash", ["read"], scope: [("team", "ads")])
            let unscoped = try Self.key(warden, "prometheus", ["read"])
            let refused = try await Self.get(warden, "/metrics", key: scoped)
            #expect(refused.status == 403)
            #expect(refused.text.contains("scoped to team=ads"))
            let scrape = try await Self.get(warden, "/metrics", key: unscoped)
            #expect(scrape.status == 200)
            #expect(scrape.text.contains(#"tokenwarden_auth_failures_total{reason="forbidden"} 1"#))
        }
    }

    @Test func aCheckKeyReleasesOnlyItsOwnReservationsAndAnAdminAny() async throws {
        try await withWarden(rules: Self.rules) { warden in
            let first = try Self.key(warden, "agent-1", ["check"])
            let second = try Self.key(warden, "agent-2", ["check"])
            let admin = try Self.key(warden, "ops", ["admin"])
            func reserve() async throws -> String {
                let body = try await Self.post(warden, "/v1/check", checkRequest(), key: first).json()
                return try #require((body["reservation"] as? [String: Any])?["id"] as? String)
            }
            let id = try await reserve()
            let path = "/v1/reservations/\(id)"
            let foreign = try await warden.send(HTTPRequest(method: "DELETE", path: path, headers: Self.bearer(second)))
            #expect(foreign.status == 403)
            #expect(try await warden.send(HTTPRequest(method: "DELETE", path: path, headers: Self.bearer(first))).status == 204)
            let other = try await reserve()
            #expect(try await warden.send(HTTPRequest(method: "DELETE", path: "/v1/reservations/\(other)", headers: Self.bearer(admin))).status == 204)
        }
    }

    @Test func aKeyPastItsShareOfReservationsIs503NamingIt() async throws {
        try await withWarden(config: "reservations:\n  max_active_per_key: 2\n", rules: Self.rules) { warden in
            let ci = try Self.key(warden, "ci", ["check"])
            let other = try Self.key(warden, "other", ["check"])
            for _ in 0..<2 { #expect(try await Self.post(warden, "/v1/check", checkRequest(), key: ci).status == 200) }
            let refused = try await Self.post(warden, "/v1/check", checkRequest(), key: ci)
            #expect(refused.status == 503)
            #expect((try refused.json()["error"] as? String)?.contains(#"key "ci" (reservations.max_active_per_key)"#) == true)
            #expect(refused.header("Retry-After") != nil)
            #expect(try await Self.post(warden, "/v1/check", checkRequest(), key: other).status == 200)
        }
    }

    @Test func anAdminCreatesAKeyAndSeesItsSecretOnce() async throws {
        try await withWarden { warden in
            let admin = try Self.key(warden, "ops", ["admin"])
            let created = try await Self.post(warden, "/v1/keys", #"{"name":"ci","roles":["ingest","check"],"scope":{"team":"search"},"expires":"90d"}"#, key: admin)
            #expect(created.status == 201)
            let body = try created.json()
            #expect(Set(body.keys) == ["name", "id", "secret", "roles", "scope", "created", "expires"])
            #expect(body["roles"] as? [String] == ["ingest", "check"])
            #expect(body["scope"] as? [String: String] == ["team": "search"])
            let secret = try #require(body["secret"] as? String)
            #expect(secret.hasPrefix("tw_\(body["id"] as? String ?? "")_"))
            // The new key works at once.
            #expect(try await Self.post(warden, "/v1/usage", usageEvent("e1"), key: secret).status == 200)
            let listed = try await Self.get(warden, "/v1/keys", key: admin)
            #expect(!listed.text.contains(secret.suffix(43)))
            #expect((try listed.json()["keys"] as? [[String: Any]])?.map { $0["name"] as? String } == ["ci", "ops"])
            let rows = try warden.runtime.auditLog.query(AuditQuery(kind: .key))
            #expect(rows.last?.event.actor?.hasPrefix("key:ops/") == true)
        }
    }

    @Test func aKeyRequestThatBreaksRulesIs400NamingEachFieldAndATakenNameIs409() async throws {
        try await withWarden { warden in
            let admin = try Self.key(warden, "ops", ["admin"])
            let invalid = try await Self.post(warden, "/v1/keys", #"{"name":"bad name","roles":["root"],"scope":{"planet":"mars"}}"#, key: admin)
            #expect(invalid.status == 400)
            let fields = (try invalid.json()["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
            #expect(fields == ["name", "roles", "scope.planet"])
            let taken = try await Self.post(warden, "/v1/keys", #"{"name":"ops","roles":["read"]}"#, key: admin)
            #expect(taken.status == 409)
        }
    }

    @Test func rotateAndRevokeOverHTTP() async throws {
        try await withWarden { warden in
            let admin = try Self.key(warden, "ops", ["admin"])
            let old = try Self.key(warden, "ci", ["ingest"])
            let rotated = try await Self.post(warden, "/v1/keys/ci/rotate", #"{"grace":"0s"}"#, key: admin)
            #expect(rotated.status == 201)
            let new = try #require(try rotated.json()["secret"] as? String)
            #expect(try await Self.post(warden, "/v1/usage", usageEvent("e1"), key: old).status == 401)
            #expect(try await Self.post(warden, "/v1/usage", usageEvent("e2"), key: new).status == 200)
            let revoked = try await warden.send(HTTPRequest(method: "POST", path: "/v1/keys/ci/revoke", headers: Self.bearer(admin)))
            #expect(revoked.status == 200)
            let refused = try await Self.post(warden, "/v1/usage", usageEvent("e3"), key: new)
            #expect(refused.status == 401)
            #expect(refused.text.contains("was revoked"))
            #expect(try await warden.send(HTTPRequest(method: "POST", path: "/v1/keys/ghost/revoke", headers: Self.bearer(admin))).status == 404)
        }
    }

    @Test func aReloadByAKeyIsAuditedWithTheKeyAndTheFilesItChanged() async throws {
        try await withWarden(rules: Self.rules) { warden in
            let admin = try Self.key(warden, "ops", ["admin"])
            try warden.writeRuleFile("budgets.yaml", Self.rules["budgets.yaml"]!.replacingOccurrences(of: "100.00", with: "200.00"))
            #expect(try await warden.send(HTTPRequest(method: "POST", path: "/-/reload", headers: Self.bearer(admin))).status == 200)
            warden.runtime.audit.flush()
            let row = try #require(try warden.runtime.auditLog.query(AuditQuery(kind: .reload)).last)
            #expect(row.event.actor?.hasPrefix("key:ops/") == true)
            #expect(row.event.detail["changed"] == .list([.text(warden.directory.appendingPathComponent("rules/budgets.yaml").path)]))
        }
    }

    @Test func aScopedSpendPageShowsItsScopeOnly() async throws {
        try await withWarden(rules: Self.rules) { warden in
            let admin = try Self.key(warden, "ops", ["admin"])
            #expect(try await Self.post(warden, "/v1/usage", "[\(usageEvent("e1")),\(usageEvent("e2", team: "ads"))]", key: admin).status == 200)
            let reader = try Self.key(warden, "dash", ["read"], scope: [("team", "ads")])
            let page = try await Self.get(warden, "/", key: reader).text
            #expect(page.contains("scoped to team=ads"))
            #expect(page.contains(">ads<"))
            #expect(!page.contains(">search<"))
            #expect(!page.contains("/metrics"))
        }
    }
}
