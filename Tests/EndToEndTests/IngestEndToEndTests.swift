import Foundation
import Testing
import TestSupport

/// The ingest API against the real binary over loopback.
@Suite(.serialized) struct IngestEndToEndTests {
    @Test func aSingleEventIsPricedExactlyAndCounted() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)

        let response = try await HTTP.postJSON("\(warden.baseURL)/v1/usage",
                                               usageEvent("e1", input: 1200, output: 300, cacheRead: 200))

        #expect(response.status == 200)
        // 1000 × 2.50/M + 200 × 1.25/M + 300 × 10/M
        #expect(response.text == #"{"results":[{"id":"e1","cost":"0.00575","currency":"USD","duplicate":false}]}"#)
        let metrics = Exposition(try await HTTP.get("\(warden.baseURL)/metrics").text)
        #expect(metrics.sum("tokenwarden_requests_total") == 1)
        #expect(metrics.values("tokenwarden_tokens_total", where: ["kind": "input", "team": "search"]) == [1000])
        #expect(metrics.values("tokenwarden_tokens_total", where: ["kind": "cache_read"]) == [200])
        #expect(metrics.sum("tokenwarden_tokens_total") == 1500)
        #expect(metrics.values("tokenwarden_cost_total", where: ["currency": "USD", "model": "gpt-4o"]) == [0.00575])
        await warden.stop()
    }

    @Test func arrayAndNDJSONBodiesGetOneResultPerEventInOrder() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)

        let array = try await HTTP.postJSON("\(warden.baseURL)/v1/usage",
                                            "[\(usageEvent("a1")),\(usageEvent("a2", model: "claude-sonnet-4", provider: "anthropic"))]")
        let ndjson = try await HTTP.request("POST", "\(warden.baseURL)/v1/usage",
                                            body: Data((usageEvent("n1") + "\n\n" + usageEvent("n2", team: "ads") + "\n").utf8),
                                            headers: ["Content-Type": "application/x-ndjson"])

        #expect(array.status == 200)
        let arrayResults = try array.jsonObject()["results"] as? [[String: Any]]
        #expect(arrayResults?.map { $0["id"] as? String } == ["a1", "a2"])
        #expect(arrayResults?.map { $0["cost"] as? String } == ["0.0035", "0.0045"])
        #expect(ndjson.status == 200)
        let ndjsonResults = try ndjson.jsonObject()["results"] as? [[String: Any]]
        #expect(ndjsonResults?.map { $0["id"] as? String } == ["n1", "n2"])
        let metrics = Exposition(try await HTTP.get("\(warden.baseURL)/metrics").text)
        #expect(metrics.sum("tokenwarden_requests_total") == 4)
        #expect(metrics.sum("tokenwarden_requests_total", where: ["team": "ads"]) == 1)
        await warden.stop()
    }

    @Test func aDuplicateIdIsAnsweredWithTheOriginalCostAndNotCountedAgain() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)

        _ = try await HTTP.postJSON("\(warden.baseURL)/v1/usage", usageEvent("d1", input: 1000, output: 0))
        let again = try await HTTP.postJSON("\(warden.baseURL)/v1/usage", usageEvent("d1", input: 999_999, output: 5))

        #expect(again.status == 200)
        #expect(again.text == #"{"results":[{"id":"d1","cost":"0.0025","currency":"USD","duplicate":true}]}"#)
        let metrics = Exposition(try await HTTP.get("\(warden.baseURL)/metrics").text)
        #expect(metrics.sum("tokenwarden_requests_total") == 1)
        #expect(metrics.sum("tokenwarden_usage_events_duplicate_total") == 1)
        await warden.stop()
    }

    @Test func aBatchWithAnInvalidEventRecordsNothingAndListsEveryError() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)

        let body = "[\(usageEvent("ok")), {\"id\":\"bad\",\"provider\":\"openai\",\"model\":\"gpt-4o\",\"input_tokens\":-5,\"output_tokens\":1,\"attribution\":{\"colour\":\"red\"}}]"
        let response = try await HTTP.postJSON("\(warden.baseURL)/v1/usage", body)

        #expect(response.status == 400)
        let errors = try response.jsonObject()["errors"] as? [[String: Any]] ?? []
        #expect(errors.map { $0["index"] as? Int } == [1, 1])
        #expect(errors.map { $0["field"] as? String } == ["input_tokens", "attribution.colour"])
        // The rejection is counted durably by the writer's next commit, after the 400 has gone out
        // (a counter must not run ahead of the database), so it may take a moment to show.
        var metrics = Exposition("")
        _ = try await poll(for: .seconds(10), every: .milliseconds(20), until: {
            metrics = Exposition(try await HTTP.get("\(warden.baseURL)/metrics").text)
            return metrics.values("tokenwarden_usage_events_rejected_total", where: ["reason": "invalid"]) == [1]
        })
        #expect(metrics.sum("tokenwarden_requests_total") == 0)
        #expect(metrics.values("tokenwarden_usage_events_rejected_total", where: ["reason": "invalid"]) == [1])
        let stored = try await HTTP.get("\(warden.baseURL)/v1/usage")
        #expect((try stored.jsonObject()["events"] as? [Any])?.isEmpty == true)
        await warden.stop()
    }

    @Test func malformedJSONIsRejectedWithItsByteOffset() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)

        let response = try await HTTP.postJSON("\(warden.baseURL)/v1/usage", #"{"id": "x", "provider" "openai"}"#)

        #expect(response.status == 400)
        #expect(try response.jsonObject()["offset"] as? Int == 23)
        await warden.stop()
    }

    @Test func anUnknownModelIsRejectedNamingTheModel() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)

        let response = try await HTTP.postJSON("\(warden.baseURL)/v1/usage", usageEvent("u1", model: "gpt-4o-2024-05-13"))

        #expect(response.status == 422)
        #expect(response.text.contains("gpt-4o-2024-05-13"))
        await warden.stop()
    }

    @Test func unknownModelsCanBeRecordedAtZeroCost() async throws {
        let fixture = try RulesFixture(config: "ingest:\n  unknown_models: record_at_zero_cost\n")
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)

        let response = try await HTTP.postJSON("\(warden.baseURL)/v1/usage", usageEvent("z1", model: "mystery-1"))

        #expect(response.status == 200)
        #expect(response.text.contains(#""cost":"0""#))
        let metrics = Exposition(try await HTTP.get("\(warden.baseURL)/metrics").text)
        #expect(metrics.values("tokenwarden_unpriced_events_total", where: ["model": "mystery-1"]) == [1])
        #expect(metrics.sum("tokenwarden_requests_total") == 1)
        await warden.stop()
    }

    @Test func anOversizedBodyGets413() async throws {
        let fixture = try RulesFixture(config: "ingest:\n  max_body_bytes: 1KiB\n")
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)

        let events = (0..<20).map { usageEvent("big\($0)") }.joined(separator: ",")
        let response = try await HTTP.postJSON("\(warden.baseURL)/v1/usage", "[\(events)]")

        #expect(response.status == 413)
        let small = try await HTTP.postJSON("\(warden.baseURL)/v1/usage", usageEvent("small"))
        #expect(small.status == 200)
        await warden.stop()
    }

    @Test func aWrongMethodGets405WithAllow() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)

        let response = try await HTTP.request("PUT", "\(warden.baseURL)/v1/usage")

        #expect(response.status == 405)
        #expect(response.header("Allow")?.contains("POST") == true)
        let notFound = try await HTTP.get("\(warden.baseURL)/v2/nothing")
        #expect(notFound.status == 404)
        await warden.stop()
    }

    @Test func recordedEventsReadBackAsJSONPagesAndCSV() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        let body = (0..<5).map { usageEvent("r\($0)", team: $0 % 2 == 0 ? "search" : "ads") }.joined(separator: ",")
        _ = try await HTTP.postJSON("\(warden.baseURL)/v1/usage", "[\(body)]")

        let page = try await HTTP.get("\(warden.baseURL)/v1/usage?team=search&limit=2").jsonObject()
        let ids = (page["events"] as? [[String: Any]])?.map { $0["id"] as? String }
        #expect(ids == ["r0", "r2"])
        let cursor = try #require(page["next_cursor"] as? String)
        let next = try await HTTP.get("\(warden.baseURL)/v1/usage?team=search&limit=2&cursor=\(cursor)").jsonObject()
        #expect((next["events"] as? [[String: Any]])?.map { $0["id"] as? String } == ["r4"])
        #expect(next["next_cursor"] is NSNull)

        let csv = try await HTTP.get("\(warden.baseURL)/v1/usage.csv?team=ads")
        #expect(csv.header("Content-Type")?.hasPrefix("text/csv") == true)
        let lines = csv.text.split(separator: "\r\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("seq,id,time,"))
        #expect(lines[1].contains(",r1,"))
        let bad = try await HTTP.get("\(warden.baseURL)/v1/usage?teem=ads")
        #expect(bad.status == 400)
        #expect(bad.text.contains("teem"))
        await warden.stop()
    }

    @Test func healthAndReadinessAndTheLandingPageAnswer() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        _ = try await HTTP.postJSON("\(warden.baseURL)/v1/usage", usageEvent("h1", team: "<script>"))

        #expect(try await HTTP.get("\(warden.baseURL)/-/healthy").status == 200)
        #expect(try await HTTP.get("\(warden.baseURL)/-/ready").status == 200)
        let page = try await HTTP.get("\(warden.baseURL)/")
        #expect(page.header("Content-Type")?.hasPrefix("text/html") == true)
        #expect(page.text.contains("href=\"/metrics\""))
        #expect(page.text.contains("&lt;script&gt;"))
        #expect(!page.text.contains("<script>"))
        await warden.stop()
    }
}
