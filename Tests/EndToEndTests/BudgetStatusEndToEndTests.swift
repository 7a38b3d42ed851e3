import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

/// `GET /v1/budgets` against the real binary: the documented shape, filters, paging, an unknown
/// budget, and what unscoped and scoped keys see.
@Suite("Budget status end to end", .serialized)
struct BudgetStatusEndToEndTests {
    static let rules = """
        budgets:
          - name: org-total
            scope: {org: acme}
            period: total
            limit: "1000.00 USD"
            thresholds:
              - {at: 100%, action: deny}
          - name: team-monthly
            scope: {org: acme}
            per: [team]
            period: monthly
            timezone: Europe/Berlin
            limit: ["0.01 USD", "10_000 tokens"]
            thresholds:
              - {at: 50%, action: warn}
              - {at: 100%, action: deny}
        """

    /// A running server with usage of two teams: search twice (0.007 USD, 2,200 tokens), web once.
    static func start(_ fixture: RulesFixture) async throws -> WardenProcess {
        try rules.write(toFile: fixture.rules + "/budgets.yaml", atomically: true, encoding: .utf8)
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        for (id, team) in [("s1", "search"), ("s2", "search"), ("w1", "web")] {
            let response = try await HTTP.postJSON(warden.baseURL + "/v1/usage", usageEvent(id, team: team))
            #expect(response.status == 200, "\(response.text)")
        }
        return warden
    }

    static func budgets(_ warden: WardenProcess, _ path: String, key: String? = nil) async throws -> (status: Int, body: [String: Any]) {
        let headers = key.map { ["Authorization": "Bearer \($0)"] } ?? [:]
        let response = try await HTTP.get(warden.baseURL + path, headers: headers)
        return (response.status, try response.jsonObject())
    }

    static func names(_ body: [String: Any]) -> [String] {
        (body["budgets"] as? [[String: Any]] ?? []).map { budget in
            let scope = (budget["scope"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            return ([budget["budget"] as? String ?? "?"] + scope).joined(separator: " ")
        }
    }

    @Test func withoutKeysEveryInstanceIsServedInTheDocumentedShape() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let warden = try await Self.start(fixture)

        let (status, body) = try await Self.budgets(warden, "/v1/budgets")
        #expect(status == 200)
        #expect(Self.names(body) == ["org-total org=acme", "team-monthly org=acme team=search", "team-monthly org=acme team=web"])
        #expect(body["next_cursor"] is NSNull)
        let search = try #require((body["budgets"] as? [[String: Any]])?[1])
        #expect(Set(search.keys) == ["budget", "scope", "period", "limits", "step", "override"])
        #expect(search["step"] as? String == "warn")
        #expect(search["override"] is NSNull)
        let period = try #require(search["period"] as? [String: Any])
        #expect(period["timezone"] as? String == "Europe/Berlin")
        // Berlin's months start at local midnight: 23:00 or 22:00 UTC the day before.
        #expect((period["start"] as? String).map { $0.contains("T23:00:00") || $0.contains("T22:00:00") } == true)
        #expect(period["end"] is String)
        let limits = try #require(search["limits"] as? [[String: Any]])
        #expect(limits.count == 2)
        let usd = limits[0]
        #expect(Set(usd.keys) == ["unit", "base", "rollover", "override", "effective", "used", "reserved", "remaining", "usage_ratio"])
        #expect(usd["unit"] as? String == "USD")
        #expect(usd["base"] as? String == "0.01")
        #expect(usd["rollover"] as? String == "0")
        #expect(usd["override"] as? String == "0")
        #expect(usd["effective"] as? String == "0.01")
        #expect(usd["used"] as? String == "0.007")
        #expect(usd["reserved"] as? String == "0")
        #expect(usd["remaining"] as? String == "0.003")
        #expect((usd["usage_ratio"] as? NSNumber)?.doubleValue == 0.7)
        let tokens = limits[1]
        #expect(tokens["unit"] as? String == "tokens")
        #expect(tokens["used"] as? String == "2200")
        #expect(tokens["remaining"] as? String == "7800")
        let organisation = try #require((body["budgets"] as? [[String: Any]])?[0])
        #expect((organisation["period"] as? [String: Any])?["start"] is NSNull)
        #expect(organisation["step"] is NSNull)
        #expect(await warden.stop() == 0)
    }

    @Test func filtersNameTheInstancesAndABudgetNameSelectsOne() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let warden = try await Self.start(fixture)

        #expect(Self.names(try await Self.budgets(warden, "/v1/budgets?team=web").body) == ["team-monthly org=acme team=web"])
        #expect(Self.names(try await Self.budgets(warden, "/v1/budgets/org-total").body) == ["org-total org=acme"])
        #expect(Self.names(try await Self.budgets(warden, "/v1/budgets/team-monthly?team=search").body)
                == ["team-monthly org=acme team=search"])
        let unknown = try await Self.budgets(warden, "/v1/budgets/no-such-budget")
        #expect(unknown.status == 404)
        #expect((unknown.body["error"] as? String)?.contains("no-such-budget") == true)
        let typo = try await Self.budgets(warden, "/v1/budgets?taem=search")
        #expect(typo.status == 400)
        #expect((typo.body["error"] as? String)?.contains("\"taem\"") == true)
        #expect(await warden.stop() == 0)
    }

    @Test func pagesFollowTheirCursorsToTheEnd() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let warden = try await Self.start(fixture)

        var seen: [String] = []
        var path = "/v1/budgets?limit=2"
        var pages = 0
        while pages < 10 {
            let (status, body) = try await Self.budgets(warden, path)
            #expect(status == 200)
            pages += 1
            seen += Self.names(body)
            guard let cursor = body["next_cursor"] as? String else { break }
            path = "/v1/budgets?limit=2&cursor=\(cursor)"
        }
        #expect(pages == 2)
        #expect(seen == ["org-total org=acme", "team-monthly org=acme team=search", "team-monthly org=acme team=web"])
        #expect(try await Self.budgets(warden, "/v1/budgets?cursor=zz").status == 400)
        #expect(await warden.stop() == 0)
    }

    @Test func aScopedKeySeesOnlyItsScopeAndAnUnscopedKeySeesAll() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        _ = try AuthEndToEndTests.create("admin", "admin", fixture)
        let reader = try AuthEndToEndTests.create("reader", "read", fixture)
        let search = try AuthEndToEndTests.create("search-reader", "read", fixture, extra: ["--scope", "team=search"])
        let ingest = try AuthEndToEndTests.create("ingest", "ingest", fixture)
        try Self.rules.write(toFile: fixture.rules + "/budgets.yaml", atomically: true, encoding: .utf8)
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        for (id, team) in [("s1", "search"), ("w1", "web")] {
            let response = try await HTTP.request("POST", warden.baseURL + "/v1/usage", body: Data(usageEvent(id, team: team).utf8),
                                                  headers: ["Content-Type": "application/json", "Authorization": "Bearer \(ingest)"])
            #expect(response.status == 200, "\(response.text)")
        }

        #expect(try await Self.budgets(warden, "/v1/budgets").status == 401)
        #expect(try await Self.budgets(warden, "/v1/budgets", key: ingest).status == 403)
        #expect(Self.names(try await Self.budgets(warden, "/v1/budgets", key: reader).body)
                == ["org-total org=acme", "team-monthly org=acme team=search", "team-monthly org=acme team=web"])
        #expect(Self.names(try await Self.budgets(warden, "/v1/budgets", key: search).body) == ["team-monthly org=acme team=search"])
        #expect(Self.names(try await Self.budgets(warden, "/v1/budgets/org-total", key: search).body) == [])
        let outside = try await Self.budgets(warden, "/v1/budgets?team=web", key: search)
        #expect(outside.status == 403)
        #expect((outside.body["error"] as? String)?.contains("team=web") == true)
        #expect(await warden.stop() == 0)
    }
}
