import Foundation
import Testing

/// `tokenwarden simulate` replays the API's own exports: usage recorded by a real server, exported
/// as `GET /v1/usage.ndjson` and as the pages of `GET /v1/usage`, simulates exactly as the events
/// that were posted.
@Suite(.serialized) struct SimulateFromExportsEndToEndTests {
    static let budgets = """
        budgets:
          - name: team-daily
            scope: {org: acme}
            per: [team]
            period: daily
            limit: "10.00 USD"
            thresholds:
              - {at: 50%, action: notify}
              - {at: 80%, action: warn}
              - {at: 100%, action: deny}
          - name: acme-weekly
            scope: {org: acme}
            period: weekly
            limit: "40.00 USD"
            thresholds:
              - {at: 50%, action: notify}
        """

    /// Three days of usage by three teams, out of order, with caching, reasoning, users and a time
    /// with nanoseconds; 0.50 to 5.00 USD each.
    static let events: [String] = (0..<36).map { number in
        let teams = ["search", "ads", "research"]
        let day = 2 + number % 3
        let hour = (number * 7) % 24
        let nanos = number == 5 ? ".123456789" : ""
        let input = 200_000 * (1 + number % 10)
        return """
            {"id":"e\(number)","time":"2026-03-0\(day)T\(hour < 10 ? "0" : "")\(hour):\(10 + number):00\(nanos)Z",\
            "provider":"openai","model":"gpt-4o","input_tokens":\(input),"output_tokens":\(1000 * (number % 4)),\
            "cache_read_input_tokens":\(input / 4),"cache_creation_input_tokens":0,"reasoning_tokens":\(100 * (number % 4)),\
            "attribution":{"org":"acme","team":"\(teams[number % 3])","user":"u\(number % 5)"}}
            """
    }

    func tokenwarden(_ arguments: [String]) throws -> Tools.Result {
        try Tools.run(executable: WardenProcess.binaryPath, arguments)
    }

    @Test(.timeLimit(.minutes(3))) func simulatingTheExportsGivesTheResultOfTheOriginalEvents() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        try Self.budgets.write(toFile: "\(fixture.rules)/budgets.yaml", atomically: true, encoding: .utf8)
        let original = fixture.directory.appendingPathComponent("original.ndjson").path
        try (Self.events.joined(separator: "\n") + "\n").write(toFile: original, atomically: true, encoding: .utf8)

        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let posted = try await HTTP.postJSON("\(warden.baseURL)/v1/usage", "[\(Self.events.joined(separator: ","))]")
        try #require(posted.status == 200, "\(posted.text)")

        // The NDJSON export: one event per line in the shape POST /v1/usage takes.
        let ndjson = try await HTTP.get("\(warden.baseURL)/v1/usage.ndjson")
        #expect(ndjson.status == 200, "\(ndjson.text)")
        #expect(ndjson.header("Content-Type") == "application/x-ndjson")
        let lines = ndjson.text.split(separator: "\n")
        #expect(lines.count == Self.events.count)
        let exported = fixture.directory.appendingPathComponent("exported.ndjson").path
        try ndjson.body.write(to: URL(fileURLWithPath: exported))

        // The JSON export, in pages of 10, each saved as it came.
        var pages: [String] = []
        var cursor: String?
        repeat {
            let page = try await HTTP.get("\(warden.baseURL)/v1/usage?limit=10" + (cursor.map { "&cursor=\($0)" } ?? ""))
            try #require(page.status == 200, "\(page.text)")
            let path = fixture.directory.appendingPathComponent("page-\(pages.count).json").path
            try page.body.write(to: URL(fileURLWithPath: path))
            pages.append(path)
            cursor = try page.jsonObject()["next_cursor"] as? String
        } while cursor != nil && pages.count < 10
        #expect(pages.count == 4)
        await warden.stop()

        for format in ["text", "json"] {
            let fromOriginal = try tokenwarden(["simulate", "--rules", fixture.rules, "--events", original, "--format", format])
            let fromNDJSON = try tokenwarden(["simulate", "--rules", fixture.rules, "--events", exported, "--format", format])
            let fromPages = try tokenwarden(["simulate", "--rules", fixture.rules, "--format", format]
                                            + pages.flatMap { ["--events", $0] })
            #expect(fromOriginal.status == 0, "\(fromOriginal.output)")
            #expect(fromNDJSON.status == 0, "\(fromNDJSON.output)")
            #expect(fromPages.status == 0, "\(fromPages.output)")
            #expect(fromNDJSON.output == fromOriginal.output)
            #expect(fromPages.output == fromOriginal.output)
            if format == "text" {
                // Not vacuous: the days cross steps and the week's budget fills.
                #expect(fromOriginal.output.contains("threshold_crossed_up 100% deny"), "\(fromOriginal.output)")
                #expect(fromOriginal.output.contains("36 events from 2026-03-02"), "\(fromOriginal.output)")
            }
        }
    }

    /// What the NDJSON export writes posts back as it was: a second server fed the export exports
    /// the same bytes.
    @Test(.timeLimit(.minutes(3))) func theNDJSONExportRoundTripsThroughPostUsage() async throws {
        let first = try RulesFixture()
        defer { first.remove() }
        let source = try await WardenProcess(rules: first.rules, database: first.database)
        let body = Self.events.joined(separator: "\n") + "\n"
        let posted = try await HTTP.request("POST", "\(source.baseURL)/v1/usage", body: Data(body.utf8),
                                            headers: ["Content-Type": "application/x-ndjson"])
        try #require(posted.status == 200, "\(posted.text)")
        let exported = try await HTTP.get("\(source.baseURL)/v1/usage.ndjson?team=search")
        try #require(exported.status == 200)
        await source.stop()
        #expect(exported.text.split(separator: "\n").count == 12)
        #expect(!exported.text.contains("\"seq\"") && !exported.text.contains("\"cost\""))

        let second = try RulesFixture()
        defer { second.remove() }
        let target = try await WardenProcess(rules: second.rules, database: second.database)
        let reposted = try await HTTP.request("POST", "\(target.baseURL)/v1/usage", body: exported.body,
                                              headers: ["Content-Type": "application/x-ndjson"])
        #expect(reposted.status == 200, "\(reposted.text)")
        let again = try await HTTP.get("\(target.baseURL)/v1/usage.ndjson")
        #expect(again.text == exported.text)
        await target.stop()
    }
}
