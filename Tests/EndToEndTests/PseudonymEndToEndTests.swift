import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

/// `privacy: {pseudonymise: [user, session]}` against the real binary: raw ids go in over HTTP and
/// are found nowhere afterwards (the SQLite file and its WAL, the exports, `/metrics`, the audit
/// log, the daemon's log), while per-user budgets and raw-value filters still work; a start that
/// would split the users' history is refused unless accepted.
@Suite("Pseudonymised users end to end", .serialized)
struct PseudonymEndToEndTests {
    static let config = "privacy:\n  pseudonymise: [user, session]\n"
    static let rules = """
        budgets:
          - name: user-daily
            per: [user]
            period: daily
            limit: "0.005 USD"
            thresholds:
              - {at: 100%, action: deny}
        """
    /// Distinctive raw ids, so a scan cannot find them by accident.
    static let alice = "alice-raw-7f3e2a"
    static let bob = "bob-raw-44d19c"
    static let session = "sess-raw-91c2b7"

    static func fixture(config: String = PseudonymEndToEndTests.config) throws -> RulesFixture {
        let fixture = try RulesFixture(config: config)
        try rules.write(toFile: fixture.rules + "/budgets.yaml", atomically: true, encoding: .utf8)
        return fixture
    }

    static func usage(_ id: String, user: String) -> String {
        usageEvent(id, extra: #","user":"\#(user)","session":"\#(session)""#)
    }

    static func check(user: String) -> String {
        #"{"provider":"openai","model":"gpt-4o","estimated_input_tokens":10,"attribution":{"org":"acme","team":"search","user":"\#(user)","session":"\#(session)"}}"#
    }

    static func tokenwarden(_ arguments: [String]) throws -> Tools.Result {
        try Tools.run(executable: WardenProcess.binaryPath, arguments)
    }

    /// What `tokenwarden pseudonym` prints for `value` of `label`.
    static func pseudonym(_ label: String, _ value: String, _ fixture: RulesFixture) throws -> String {
        let result = try tokenwarden(["pseudonym", label, value, "--rules", fixture.rules, "--data", fixture.database])
        guard result.status == 0 else { throw TestFailure("pseudonym \(label) failed (\(result.status)): \(result.output)") }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func contains(_ data: Data, _ text: String) -> Bool { data.range(of: Data(text.utf8)) != nil }

    static func file(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }

    @Test func rawIdsAreFoundNowhereAndPerUserBudgetsAndFiltersStillWork() async throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let base = warden.baseURL

        // Two calls of alice's (0.007 USD) pass her 0.005 USD day; bob's one call does not.
        for (id, user) in [("a1", Self.alice), ("a2", Self.alice), ("b1", Self.bob)] {
            let response = try await HTTP.postJSON(base + "/v1/usage", Self.usage(id, user: user))
            #expect(response.status == 200, "\(response.text)")
        }
        let denied = try await HTTP.postJSON(base + "/v1/check", Self.check(user: Self.alice))
        #expect(denied.status == 403, "\(denied.text)")
        let allowed = try await HTTP.postJSON(base + "/v1/check", Self.check(user: Self.bob))
        #expect(allowed.status == 200, "\(allowed.text)")

        let alicePseudonym = try Self.pseudonym("user", Self.alice, fixture)
        let sessionPseudonym = try Self.pseudonym("session", Self.session, fixture)
        #expect(alicePseudonym.range(of: "^p_[0-9a-f]{32}$", options: .regularExpression) != nil, "\(alicePseudonym)")
        #expect(sessionPseudonym != alicePseudonym)
        #expect(denied.text.contains(alicePseudonym))

        // Filters take the raw value, and the pseudonym itself.
        for filter in [Self.alice, alicePseudonym] {
            let events = try await HTTP.get(base + "/v1/usage?user=\(filter)")
            let rows = try #require(try events.jsonObject()["events"] as? [[String: Any]])
            #expect(rows.map { $0["id"] as? String } == ["a1", "a2"], "filter \(filter)")
            #expect(rows.allSatisfy { ($0["attribution"] as? [String: String])?["user"] == alicePseudonym })
        }
        let budgets = try await HTTP.get(base + "/v1/budgets?user=\(Self.alice)")
        let instances = try #require(try budgets.jsonObject()["budgets"] as? [[String: Any]])
        #expect(instances.count == 1, "\(budgets.text)")
        #expect((instances.first?["scope"] as? [String: String])?["user"] == alicePseudonym)
        #expect(instances.first?["step"] as? String == "deny")

        let csv = try await HTTP.get(base + "/v1/usage.csv").body
        let audit = try await HTTP.get(base + "/v1/audit").body
        let auditCSV = try await HTTP.get(base + "/v1/audit.csv").body
        let metrics = try await HTTP.get(base + "/metrics").body
        let spendPage = try await HTTP.get(base + "/").body
        #expect(Self.contains(csv, alicePseudonym) && Self.contains(csv, sessionPseudonym))
        #expect(Self.contains(audit, alicePseudonym))
        #expect(Self.contains(metrics, alicePseudonym))
        let database = Self.file(fixture.database), wal = Self.file(fixture.database + "-wal")
        #expect(Self.contains(database + wal, alicePseudonym))
        #expect(await warden.stop() == 0)
        let afterStop = Self.file(fixture.database) + Self.file(fixture.database + "-wal")

        let places: [(String, Data)] = [
            ("usage CSV", csv), ("audit JSON", audit), ("audit CSV", auditCSV), ("/metrics", metrics), ("spend page", spendPage),
            ("database", database), ("WAL", wal), ("database after stop", afterStop), ("log", Self.file(warden.logPath)),
        ]
        for (place, bytes) in places {
            for raw in [Self.alice, Self.bob, Self.session] {
                #expect(!Self.contains(bytes, raw), "\(raw) found in \(place)")
            }
        }
    }

    @Test func enablingPseudonymsOnRawIdsIsRefusedUnlessAccepted() async throws {
        let fixture = try Self.fixture(config: "")
        defer { fixture.remove() }
        let plain = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        #expect(try await HTTP.postJSON(plain.baseURL + "/v1/usage", Self.usage("raw-1", user: Self.alice)).status == 200)
        #expect(await plain.stop() == 0)

        try Self.config.write(toFile: fixture.rules + "/tokenwarden.yaml", atomically: true, encoding: .utf8)
        let serve = ["serve", "--listen", "127.0.0.1:0", "--rules", fixture.rules, "--data", fixture.database]
        let refused = try Self.tokenwarden(serve)
        #expect(refused.status == 78, "\(refused.output)")
        #expect(refused.output.contains("raw values of session, user"), "\(refused.output)")
        #expect(refused.output.contains("splits every user's history"), "\(refused.output)")
        #expect(refused.output.contains("--accept-new-pseudonym-key"))

        let accepted = try await WardenProcess(rules: fixture.rules, database: fixture.database,
                                               extraArguments: ["--accept-new-pseudonym-key"])
        #expect(try await HTTP.postJSON(accepted.baseURL + "/v1/usage", Self.usage("p-1", user: Self.alice)).status == 200)
        #expect(await accepted.stop() == 0)

        // Once accepted, the same key starts without the flag; a lost key is refused again.
        let again = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        #expect(await again.stop() == 0)
        try FileManager.default.removeItem(atPath: fixture.database + ".privacy-key")
        let lostKey = try Self.tokenwarden(serve)
        #expect(lostKey.status == 78, "\(lostKey.output)")
        #expect(lostKey.output.contains("splits every user's history"), "\(lostKey.output)")
        #expect(!FileManager.default.fileExists(atPath: fixture.database + ".privacy-key"))
    }

    @Test func theKeyFileIsCreatedOnFirstStartReadableByItsOwnerOnly() async throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        #expect(await warden.stop() == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: fixture.database + ".privacy-key")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let unpseudonymised = try Self.tokenwarden(["pseudonym", "team", "search", "--rules", fixture.rules, "--data", fixture.database])
        #expect(unpseudonymised.status == 1, "\(unpseudonymised.output)")
        #expect(unpseudonymised.output.contains("team is not pseudonymised"))
    }
}
