import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

/// API keys against the real binary over real HTTP: every route with every role and every kind
/// of bad key, keys made and revoked by `tokenwarden keys` on the file of a running server,
/// scope binding, and the refusal to serve a non-loopback address without keys.
@Suite("API keys end to end", .serialized)
struct AuthEndToEndTests {
    static let rules = """
        budgets:
          - name: acme-total
            scope: {org: acme}
            period: total
            limit: "1000.00 USD"
            thresholds:
              - {at: 100%, action: deny}
        """

    static func fixture(config: String = "") throws -> RulesFixture {
        let fixture = try RulesFixture(config: config)
        try rules.write(toFile: fixture.rules + "/budgets.yaml", atomically: true, encoding: .utf8)
        return fixture
    }

    /// `tokenwarden keys …` with its standard output and standard error apart.
    static func keys(_ arguments: [String], _ fixture: RulesFixture) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: WardenProcess.binaryPath)
        process.arguments = ["keys"] + arguments + ["--data", fixture.database, "--rules", fixture.rules]
        let errorPath = fixture.directory.appendingPathComponent("keys-\(UUID().uuidString).err").path
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        let errorHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        defer { try? errorHandle.close() }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = errorHandle
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderr = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), stderr)
    }

    /// Creates a key with the command line; its first line of output is the key.
    static func create(_ name: String, _ roles: String, _ fixture: RulesFixture, extra: [String] = []) throws -> String {
        let result = try keys(["create", "--name", name, "--role", roles] + extra, fixture)
        guard result.status == 0, let key = result.stdout.split(separator: "\n").first.map(String.init) else {
            throw TestFailure("keys create \(name) failed (\(result.status)): \(result.stdout)\(result.stderr)")
        }
        return key
    }

    // MARK: the matrix

    /// One request of the matrix, and the role it needs (nil: open to all).
    struct Route: CustomStringConvertible {
        var method: String
        var path: String
        var role: String?
        var body: String? = nil
        var description: String { "\(method) \(path)" }
    }

    static func routes(_ n: Int) -> [Route] {
        [
            Route(method: "GET", path: "/", role: "read"),
            Route(method: "GET", path: "/metrics", role: "read"),
            Route(method: "GET", path: "/-/healthy", role: nil),
            Route(method: "GET", path: "/-/ready", role: nil),
            Route(method: "GET", path: "/openapi.json", role: nil),
            Route(method: "POST", path: "/v1/usage", role: "ingest", body: usageEvent("matrix-\(n)")),
            Route(method: "GET", path: "/v1/usage", role: "read"),
            Route(method: "GET", path: "/v1/usage.csv", role: "read"),
            Route(method: "GET", path: "/v1/audit", role: "read"),
            Route(method: "GET", path: "/v1/audit.csv", role: "read"),
            Route(method: "GET", path: "/v1/budgets", role: "read"),
            Route(method: "GET", path: "/v1/budgets/acme-total", role: "read"),
            Route(method: "POST", path: "/v1/check", role: "check",
                  body: #"{"provider":"openai","model":"gpt-4o","estimated_input_tokens":10,"attribution":{"org":"acme","team":"search"}}"#),
            Route(method: "DELETE", path: "/v1/reservations/rsv_\(n)", role: "check"),
            Route(method: "POST", path: "/-/reload", role: "admin"),
            Route(method: "GET", path: "/v1/keys", role: "admin"),
            Route(method: "POST", path: "/v1/keys", role: "admin", body: #"{"name":"made-\#(n)","roles":["read"]}"#),
            Route(method: "POST", path: "/v1/keys/victim/rotate", role: "admin", body: #"{"grace":"1h"}"#),
            Route(method: "POST", path: "/v1/keys/victim/revoke", role: "admin"),
        ]
    }

    enum Expected: Equatable, CustomStringConvertible {
        /// Past authentication: anything but 401 and 403.
        case admitted
        /// 401 whose `error` contains this text.
        case unauthenticated(String)
        /// 403 naming the missing role.
        case lacksRole

        var description: String {
            switch self {
            case .admitted: "admitted"
            case .unauthenticated(let text): "401 (\(text))"
            case .lacksRole: "403 lacks role"
            }
        }
    }

    /// Sends every route with `authorization` (nil: no header) and checks each answer.
    static func sweep(_ warden: WardenProcess, credential: String, authorization: String?, roles: Set<String>,
                      refusal: String? = nil, round: inout Int) async throws {
        for route in routes(round) {
            round += 1
            var headers: [String: String] = [:]
            if let authorization { headers["Authorization"] = authorization }
            if route.body != nil { headers["Content-Type"] = "application/json" }
            let response = try await HTTP.request(route.method, warden.baseURL + route.path, body: route.body.map { Data($0.utf8) },
                                                  headers: headers)
            let expected: Expected = if route.role == nil {
                .admitted
            } else if let refusal {
                .unauthenticated(refusal)
            } else if roles.contains("admin") || roles.contains(route.role!) {
                .admitted
            } else {
                .lacksRole
            }
            let context = "\(credential) on \(route): HTTP \(response.status) \(response.text.prefix(200)), expected \(expected)"
            switch expected {
            case .admitted:
                #expect(response.status != 401 && response.status != 403, "\(context)")
            case .unauthenticated(let text):
                #expect(response.status == 401, "\(context)")
                #expect((try? response.jsonObject()["error"] as? String)?.contains(text) == true, "\(context)")
                #expect(response.header("WWW-Authenticate")?.contains(#"Bearer realm="tokenwarden""#) == true, "\(context)")
            case .lacksRole:
                #expect(response.status == 403, "\(context)")
                let role = route.role!
                #expect(response.text.contains(#""missing_role":"\#(role)""#), "\(context)")
            }
        }
    }

    @Test func everyRouteWithEveryRoleAndEveryKindOfBadKey() async throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        var keys: [String: String] = [:]
        for role in ["admin", "ingest", "check", "read", "approver"] { keys[role] = try Self.create(role, role, fixture) }
        keys["ingest+read"] = try Self.create("ingest-read", "ingest,read", fixture)
        keys["revoked"] = try Self.create("gone", "admin", fixture)
        #expect(try Self.keys(["revoke", "gone"], fixture).status == 0)
        keys["expired"] = try Self.create("brief", "admin", fixture, extra: ["--expires", "1s"])
        _ = try Self.create("victim", "read", fixture)
        let expiredAt = ContinuousClock.now + .seconds(1)
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        var round = 0
        let unknown = "tw_AbCd1234_" + String(repeating: "x", count: 43)
        try await Self.sweep(warden, credential: "no key", authorization: nil, roles: [], refusal: "missing or unknown API key", round: &round)
        try await Self.sweep(warden, credential: "unknown key", authorization: "Bearer \(unknown)", roles: [],
                             refusal: "missing or unknown API key", round: &round)
        try await Self.sweep(warden, credential: "garbage", authorization: "Bearer nonsense", roles: [],
                             refusal: "missing or unknown API key", round: &round)
        for (name, roles) in [("admin", ["admin"]), ("ingest", ["ingest"]), ("check", ["check"]), ("read", ["read"]),
                              ("approver", ["approver"]), ("ingest+read", ["ingest", "read"])] {
            try await Self.sweep(warden, credential: name, authorization: "Bearer \(keys[name]!)", roles: Set(roles), round: &round)
        }
        try await Self.sweep(warden, credential: "revoked", authorization: "Bearer \(keys["revoked"]!)", roles: ["admin"],
                             refusal: "was revoked", round: &round)
        try await Task.sleep(until: expiredAt + .milliseconds(100), clock: .continuous)
        try await Self.sweep(warden, credential: "expired", authorization: "Bearer \(keys["expired"]!)", roles: ["admin"],
                             refusal: "expired at", round: &round)

        // A rotation: both secrets work during the grace period, only the new one after it.
        let rotated = try Self.create("rotating", "admin", fixture)
        let rotation = try Self.keys(["rotate", "rotating", "--grace", "8s"], fixture)
        let graceEnds = ContinuousClock.now + .seconds(8)
        let successor = try #require(rotation.stdout.split(separator: "\n").first.map(String.init))
        try await Self.awaitAccepted(warden, successor)
        try await Self.sweep(warden, credential: "rotated, in its grace", authorization: "Bearer \(rotated)", roles: ["admin"], round: &round)
        try await Task.sleep(until: graceEnds + .milliseconds(300), clock: .continuous)
        try await Self.sweep(warden, credential: "rotated, after its grace", authorization: "Bearer \(rotated)", roles: ["admin"],
                             refusal: "grace period ended", round: &round)
        try await Self.sweep(warden, credential: "successor", authorization: "Bearer \(successor)", roles: ["admin"], round: &round)
        // Basic credentials on a read; a browser's way to the spend page.
        let basic = "Basic " + Data("read:\(keys["read"]!)".utf8).base64EncodedString()
        #expect(try await HTTP.get(warden.baseURL + "/", headers: ["Authorization": basic]).status == 200)
        #expect(await warden.stop() == 0)
    }

    /// Waits until the server accepts `key` (a key made by the command line while it runs).
    static func awaitAccepted(_ warden: WardenProcess, _ key: String) async throws {
        let accepted = try await poll(for: .seconds(5), every: .milliseconds(50)) {
            try await HTTP.get(warden.baseURL + "/v1/keys", headers: ["Authorization": "Bearer \(key)"]).status == 200
        }
        #expect(accepted, "the server never accepted the key")
    }

    // MARK: the running server and the command line

    @Test func aKeyRevokedWithTheCommandLineIsRefusedWithinASecond() async throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let key = try Self.create("ci", "ingest", fixture)
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        func send(_ id: String) async throws -> Int {
            try await HTTP.request("POST", warden.baseURL + "/v1/usage", body: Data(usageEvent(id).utf8),
                                   headers: ["Content-Type": "application/json", "Authorization": "Bearer \(key)"]).status
        }
        #expect(try await send("before") == 200)
        #expect(try Self.keys(["revoke", "ci"], fixture).status == 0)
        let revokedAt = ContinuousClock.now
        var attempt = 0
        let refused = try await poll(for: .seconds(3), every: .milliseconds(25)) {
            attempt += 1
            return try await send("after-\(attempt)") == 401
        }
        let took = ContinuousClock.now - revokedAt
        #expect(refused)
        #expect(took < .seconds(1), "the revocation took \(took) to take effect")
        #expect(await warden.stop() == 0)
    }

    @Test func theFirstKeyCreatedWhileTheServerRunsTurnsAuthenticationOn() async throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        #expect(try await HTTP.get(warden.baseURL + "/v1/usage").status == 200)
        let key = try Self.create("ops", "admin", fixture)
        let on = try await poll(for: .seconds(3), every: .milliseconds(25)) { try await HTTP.get(warden.baseURL + "/v1/usage").status == 401 }
        #expect(on)
        #expect(try await HTTP.get(warden.baseURL + "/v1/usage", headers: ["Authorization": "Bearer \(key)"]).status == 200)
        #expect(warden.log.contains("API keys exist now"))
        #expect(await warden.stop() == 0)
    }

    @Test func keysListShowsEverythingButSecrets() throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let key = try Self.create("ci", "ingest,check", fixture, extra: ["--scope", "team=search,project=x", "--expires", "90d"])
        let listed = try Self.keys(["list"], fixture)
        #expect(listed.status == 0)
        #expect(listed.stdout.contains("NAME"))
        #expect(listed.stdout.contains("ingest,check"))
        #expect(listed.stdout.contains("project=x,team=search"))
        #expect(!listed.stdout.contains(String(key.suffix(43))))
        let json = try Self.keys(["list", "--format", "json"], fixture)
        let keys = try #require((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["keys"] as? [[String: Any]])
        #expect(keys.first?["name"] as? String == "ci")
        #expect(keys.first?["scope"] as? [String: String] == ["project": "x", "team": "search"])
        let invalid = try Self.keys(["create", "--name", "x", "--role", "root"], fixture)
        #expect(invalid.status == 1)
        #expect(invalid.stderr.contains(#"roles: unknown role "root""#))
        #expect(invalid.stdout.isEmpty)
    }

    @Test func changesFromTheCommandLineAreAuditedAsTheLocalUserAndTheChainVerifies() async throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let admin = try Self.create("ops", "admin", fixture)
        _ = try Self.create("ci", "ingest", fixture)
        #expect(try Self.keys(["rotate", "ci", "--grace", "0s"], fixture).status == 0)
        #expect(try Self.keys(["revoke", "ci"], fixture).status == 0)
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        #expect(try await HTTP.request("POST", warden.baseURL + "/-/reload", headers: ["Authorization": "Bearer \(admin)"]).status == 200)
        // The reload's row is written by the audit drain, a moment after the answer.
        var rows: [[String: Any]] = []
        _ = try await poll(for: .seconds(5), every: .milliseconds(50)) {
            let audit = try await HTTP.get(warden.baseURL + "/v1/audit", headers: ["Authorization": "Bearer \(admin)"]).jsonObject()
            rows = audit["events"] as? [[String: Any]] ?? []
            return rows.count >= 5
        }
        let actions = rows.map { "\($0["action"] as? String ?? "")" }
        #expect(actions == ["key_created", "key_created", "key_rotated", "key_revoked", "rules_reloaded"])
        #expect(rows.prefix(4).allSatisfy { ($0["actor"] as? String)?.hasPrefix("local:") == true })
        #expect((rows.last?["actor"] as? String)?.hasPrefix("key:ops/") == true)
        #expect(await warden.stop() == 0)
        let verified = try Tools.run(executable: WardenProcess.binaryPath, ["audit", "verify", "--data", fixture.database, "--rules", fixture.rules])
        #expect(verified.status == 0, "\(verified.output)")
    }

    // MARK: scope

    @Test func aScopedKeyIsFilledInRefusedOutsideItsScopeAndReadsOnlyItsRows() async throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let admin = try Self.create("ops", "admin", fixture)
        let search = try Self.create("search-agent", "ingest,check", fixture, extra: ["--scope", "team=search"])
        let adsReader = try Self.create("ads-dash", "read", fixture, extra: ["--scope", "team=ads"])
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        func post(_ path: String, _ body: String, _ key: String) async throws -> HTTP.Response {
            try await HTTP.request("POST", warden.baseURL + path, body: Data(body.utf8),
                                   headers: ["Content-Type": "application/json", "Authorization": "Bearer \(key)"])
        }
        let unlabelled = #"{"id":"u1","provider":"openai","model":"gpt-4o","input_tokens":1000,"output_tokens":100,"attribution":{"org":"acme"}}"#
        #expect(try await post("/v1/usage", unlabelled, search).status == 200)
        let conflict = try await post("/v1/usage", "[\(usageEvent("u2", team: "search")),\(usageEvent("u3", team: "ads"))]", search)
        #expect(conflict.status == 403)
        #expect(conflict.text == #"{"errors":[{"index":1,"field":"attribution.team","message":"key is scoped to team=search"}]}"#)
        let check = try await post("/v1/check", #"{"provider":"openai","model":"gpt-4o","attribution":{"team":"ads"}}"#, search)
        #expect(check.status == 403)
        #expect(check.text == #"{"errors":[{"field":"attribution.team","message":"key is scoped to team=search"}]}"#)
        #expect(try await post("/v1/usage", usageEvent("a1", team: "ads"), admin).status == 200)

        let everything = try await HTTP.get(warden.baseURL + "/v1/usage.csv", headers: ["Authorization": "Bearer \(admin)"]).text
        #expect(everything.contains("u1") && everything.contains("a1"))
        #expect(!everything.contains("u2") && !everything.contains("u3"), "nothing of the refused batch was recorded")
        let metrics = try await HTTP.get(warden.baseURL + "/metrics", headers: ["Authorization": "Bearer \(admin)"]).text
        #expect(metrics.contains(#"tokenwarden_usage_events_rejected_total{reason="forbidden"} 1"#))
        #expect(metrics.contains(#"tokenwarden_auth_failures_total{reason="forbidden"} 2"#))

        let scoped = try await HTTP.get(warden.baseURL + "/v1/usage", headers: ["Authorization": "Bearer \(adsReader)"]).jsonObject()
        #expect((scoped["events"] as? [[String: Any]])?.map { $0["id"] as? String } == ["a1"])
        let filled = try await HTTP.get(warden.baseURL + "/v1/usage?team=search", headers: ["Authorization": "Bearer \(admin)"]).jsonObject()
        #expect((filled["events"] as? [[String: Any]])?.map { $0["id"] as? String } == ["u1"], "u1 was recorded with the key's team")
        #expect(try await HTTP.get(warden.baseURL + "/v1/usage?team=search", headers: ["Authorization": "Bearer \(adsReader)"]).status == 403)
        #expect(try await HTTP.get(warden.baseURL + "/metrics", headers: ["Authorization": "Bearer \(adsReader)"]).status == 403)
        #expect(await warden.stop() == 0)
    }

    // MARK: exposure

    @Test func aNonLoopbackAddressWithoutKeysIsRefusedAndSaysWhy() throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: WardenProcess.binaryPath)
        process.arguments = ["serve", "--listen", "0.0.0.0:0", "--rules", fixture.rules, "--data", fixture.database]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let log = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 78)
        #expect(log.contains("refusing to listen on 0.0.0.0, which is not a loopback address, without API keys"))
        #expect(log.contains("--insecure-no-auth"))
    }

    @Test func insecureNoAuthServesANonLoopbackAddressUntilAKeyExists() async throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database, extraArguments: ["--insecure-no-auth"],
                                             host: "0.0.0.0")
        #expect(try await HTTP.get(warden.baseURL + "/v1/usage").status == 200)
        #expect(warden.log.contains("--insecure-no-auth"))
        _ = try Self.create("ops", "admin", fixture)
        let on = try await poll(for: .seconds(3), every: .milliseconds(25)) { try await HTTP.get(warden.baseURL + "/v1/usage").status == 401 }
        #expect(on)
        #expect(await warden.stop() == 0)
    }

    @Test func aNonLoopbackAddressWithAKeyNeedsNoOverride() async throws {
        let fixture = try Self.fixture()
        defer { fixture.remove() }
        let key = try Self.create("ops", "admin", fixture)
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database, host: "0.0.0.0")
        #expect(try await HTTP.get(warden.baseURL + "/v1/usage").status == 401)
        #expect(try await HTTP.get(warden.baseURL + "/v1/usage", headers: ["Authorization": "Bearer \(key)"]).status == 200)
        #expect(await warden.stop() == 0)
    }

    @Test func requiredWithoutKeysRefusesEverythingButHealth() async throws {
        let fixture = try Self.fixture(config: "auth: required\n")
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        #expect(try await HTTP.get(warden.baseURL + "/-/healthy").status == 200)
        #expect(try await HTTP.get(warden.baseURL + "/v1/usage").status == 401)
        #expect(try await HTTP.get(warden.baseURL + "/").status == 401)
        #expect(warden.log.contains("auth: required and no API key exists"))
        #expect(await warden.stop() == 0)
    }
}
