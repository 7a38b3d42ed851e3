import Foundation
import Testing
import TestSupport

/// Input an attacker would send, with no credentials, against the real binary: each is answered
/// with an error naming what is wrong, and the same process keeps serving and starts again on its
/// database afterwards.
@Suite struct HostileInputEndToEndTests {
    /// A show-back budget: it warns but never denies, so nothing stops reservations piling up.
    static let warnOnlyBudget = """
        budgets:
          - name: show-back
            scope: {org: acme}
            period: monthly
            limit: "100.00 USD"
            thresholds:
              - {at: 80%, action: warn}
        """

    static func check(_ fields: String) -> String {
        #"{"provider":"openai","model":"gpt-4o",\#(fields)}"#
    }

    /// What used to take the process down, brick its database or stall it, sent in turn; after
    /// each, the same process must still answer.
    static let hostileRequests: [(name: String, path: String, body: String, status: Int)] = [
        ("a 19-digit max_output_tokens", "/v1/check", check(#""max_output_tokens":9999999999999999999"#), 400),
        ("a 20-digit estimated_input_tokens", "/v1/check", check(#""estimated_input_tokens":99999999999999999999"#), 400),
        ("an estimated cost of 10^20", "/v1/check", check(#""estimated_cost":"99999999999999999999","attribution":{"org":"acme"}"#), 400),
        ("a NUL in a label", "/v1/usage",
         #"{"id":"n1","provider":"openai","model":"gpt-4o","input_tokens":1,"output_tokens":1,"attribution":{"team":"a\u0000b"}}"#, 400),
        ("a NUL in an id", "/v1/usage", #"{"id":"x\u00001","provider":"openai","model":"gpt-4o","input_tokens":1,"output_tokens":1}"#, 400),
        ("a check label of 1 MB", "/v1/check", check(#""attribution":{"team":"\#(String(repeating: "t", count: 1 << 20))"}"#), 400),
        ("a DEL in a check label", "/v1/check", check("\"attribution\":{\"team\":\"x\u{7F}\"}"), 400),
    ]

    @Test func everyCrashInputIsAnsweredAndTheSameProcessKeepsServing() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        try Self.warnOnlyBudget.write(toFile: "\(fixture.rules)/budgets.yaml", atomically: true, encoding: .utf8)
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let pid = warden.process.processIdentifier

        for hostile in Self.hostileRequests {
            // Twice: a retry of a rejected request must be rejected the same way, not fail others.
            for _ in 0..<2 {
                let response = try await HTTP.postJSON("\(warden.baseURL)\(hostile.path)", hostile.body)
                #expect(response.status == hostile.status, "\(hostile.name): \(response.text.prefix(200))")
                #expect(response.text.contains("\"field\""), "\(hostile.name): the error names no field")
            }
            #expect(warden.process.isRunning && warden.process.processIdentifier == pid, "\(hostile.name) stopped the process")
            #expect(try await HTTP.get("\(warden.baseURL)/-/healthy").status == 200, "\(hostile.name)")
        }
        // The show-back budget takes reservations of the largest allowed estimate without end.
        for number in 0..<40 {
            let response = try await HTTP.postJSON("\(warden.baseURL)/v1/check",
                                                   Self.check(#""estimated_cost":"1000000000","attribution":{"org":"acme","agent":"a\#(number)"}"#))
            #expect(response.status == 200)
        }
        #expect(warden.process.isRunning)

        // An honest event still goes through, counted once.
        let honest = try await HTTP.postJSON("\(warden.baseURL)/v1/usage", usageEvent("honest-1"))
        #expect(honest.status == 200)

        // Nothing hostile reached the exposition or the log of usage.
        let metrics = try await HTTP.get("\(warden.baseURL)/metrics").text
        #expect(!metrics.contains("\u{0}") && !metrics.contains("\u{7F}"))
        let export = try await HTTP.get("\(warden.baseURL)/v1/usage").text
        #expect(export.contains("honest-1") && !export.contains("\\u0000"))

        // And the database starts again.
        #expect(await warden.stop() == 0)
        let again = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let restarted = Exposition(try await HTTP.get("\(again.baseURL)/metrics").text)
        #expect(restarted.sum("tokenwarden_requests_total") == 1)
        await again.stop()
    }

    /// One hostile request and then a restart, each on its own: a request that bricked the store
    /// (a NUL label once made every later start fail) shows as a start that never gets ready.
    @Test(arguments: hostileRequests.map(\.name))
    func theDatabaseStartsAgainAfterEachHostileInput(name: String) async throws {
        let hostile = try #require(Self.hostileRequests.first { $0.name == name })
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        try Self.warnOnlyBudget.write(toFile: "\(fixture.rules)/budgets.yaml", atomically: true, encoding: .utf8)
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        #expect(try await HTTP.postJSON("\(warden.baseURL)/v1/usage", usageEvent("before")).status == 200)
        #expect(try await HTTP.postJSON("\(warden.baseURL)\(hostile.path)", hostile.body).status == hostile.status)
        #expect(await warden.stop() == 0)
        let again = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        #expect(Exposition(try await HTTP.get("\(again.baseURL)/metrics").text).sum("tokenwarden_requests_total") == 1)
        await again.stop()
    }

    @Test func aNulInAQueryValueOrARepeatedParameterIsA400NamingIt() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        _ = try await HTTP.postJSON("\(warden.baseURL)/v1/usage", usageEvent("q1"))

        let nul = try await HTTP.get("\(warden.baseURL)/v1/usage?org=acme%00zzz")
        #expect(nul.status == 400)
        #expect(nul.text.contains("query parameter org"))
        let repeated = try await HTTP.get("\(warden.baseURL)/v1/usage.csv?since=2026-01-01T00:00:00Z&since=2020-01-01T00:00:00Z")
        #expect(repeated.status == 400)
        #expect(repeated.text.contains("query parameter since"))
        let audit = try await HTTP.get("\(warden.baseURL)/v1/audit?kind=budget&kind=policy")
        #expect(audit.status == 400)
        let fine = try await HTTP.get("\(warden.baseURL)/v1/usage?org=acme")
        #expect(fine.status == 200 && fine.text.contains("q1"))
        await warden.stop()
    }

    @Test func conflictingContentLengthsAreRefusedAndTheConnectionClosed() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let body = usageEvent("smuggled")
        let connection = try RawHTTPConnection(port: warden.port)
        defer { connection.close() }
        try connection.write("POST /v1/usage HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                             + "Content-Length: \(body.utf8.count)\r\nContent-Length: 5\r\n\r\n\(body)")
        let response = try connection.readResponse()
        #expect(response.status == 400)
        #expect(response.header("Connection")?.lowercased() == "close")
        #expect(response.text.contains("Content-Length"))
        #expect(try connection.isClosedByServer())
        // Equal repeats are harmless and accepted.
        let repeated = try RawHTTPConnection(port: warden.port)
        defer { repeated.close() }
        try repeated.write("POST /v1/usage HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           + "Content-Length: \(body.utf8.count)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        #expect(try repeated.readResponse().status == 200)
        let export = try await HTTP.get("\(warden.baseURL)/v1/usage").text
        #expect(export.components(separatedBy: "smuggled").count == 2)
        await warden.stop()
    }

    /// 300 query arguments overflowed the connection's memory pool: libmicrohttpd 0.9.75 logs a
    /// 431 it never sends, and the client waited for the idle timeout.
    @Test func aLongOrdinaryQueryIsAnswered() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let arguments = (0..<300).map { "x\($0)=1" }.joined(separator: "&")
        let connection = try RawHTTPConnection(port: warden.port)
        defer { connection.close() }
        try connection.write("GET /v1/usage?\(arguments) HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try connection.readResponse()  // times out (and throws) if nothing is sent
        #expect(response.status == 400)
        #expect(response.text.contains("unknown query parameter"))
        await warden.stop()
    }

    @Test func rejectionsForSizeAndUnavailabilityAreCounted() async throws {
        let fixture = try RulesFixture(config: "ingest: {max_body_bytes: 4KiB}\n")
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let tooLarge = try await HTTP.postJSON("\(warden.baseURL)/v1/usage", "[" + Array(repeating: usageEvent("big"), count: 40).joined(separator: ",") + "]")
        #expect(tooLarge.status == 413)
        try FileManager.default.removeItem(atPath: fixture.database)
        let refused: HTTP.Response? = try await poll(for: .seconds(10), every: .milliseconds(100)) {
            let response = try await HTTP.postJSON("\(warden.baseURL)/v1/usage", usageEvent("late"))
            return response.status == 503 ? response : nil
        }
        #expect(refused != nil)
        let counted: Exposition? = try await poll(for: .seconds(10), every: .milliseconds(100)) {
            let metrics = Exposition(try await HTTP.get("\(warden.baseURL)/metrics").text)
            let tooLargeCount = metrics.sum("tokenwarden_usage_events_rejected_total", where: ["reason": "too_large"])
            let unavailable = metrics.sum("tokenwarden_usage_events_rejected_total", where: ["reason": "unavailable"])
            return tooLargeCount == 1 && unavailable >= 1 ? metrics : nil
        }
        #expect(counted != nil)
        await warden.stop()
    }

    /// Deleted while running, SQLite keeps writing into the unlinked file and every acknowledged
    /// event would be lost: the server notices within a second and refuses instead.
    @Test func aDatabaseDeletedWhileRunningStopsIngestAndChecks() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        #expect(try await HTTP.postJSON("\(warden.baseURL)/v1/usage", usageEvent("before")).status == 200)
        try FileManager.default.removeItem(atPath: fixture.database)
        let notReady: HTTP.Response? = try await poll(for: .seconds(10), every: .milliseconds(100)) {
            let response = try await HTTP.get("\(warden.baseURL)/-/ready")
            return response.status == 503 ? response : nil
        }
        #expect(notReady?.text.contains("deleted") == true)
        let usage = try await HTTP.postJSON("\(warden.baseURL)/v1/usage", usageEvent("after"))
        #expect(usage.status == 503)
        #expect(usage.text.contains("deleted"))
        let check = try await HTTP.postJSON("\(warden.baseURL)/v1/check", Self.check(#""attribution":{"org":"acme"}"#))
        #expect(check.status == 503)
        #expect(try await HTTP.get("\(warden.baseURL)/-/healthy").status == 200)
        #expect(warden.log.contains("was deleted while in use"))
        // It never recreates the file by itself.
        #expect(!FileManager.default.fileExists(atPath: fixture.database))
        await warden.stop()
    }
}
