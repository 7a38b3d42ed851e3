import Foundation
import Testing
import TestSupport

/// `POST /v1/integrations/litellm` fed by LiteLLM itself: its generic API logger (the proxy's
/// `generic_api` callback) posts the standard logging objects the installed `litellm` builds for
/// calls made in mock-response mode, and the recorded costs come from TokenWarden's catalog.
@Suite("LiteLLM proxy webhook end to end", .serialized)
struct LiteLLMEndToEndTests {
    /// The test catalog plus the Anthropic model at LiteLLM's own prices, so LiteLLM's float
    /// cost and the exact one can be compared.
    static let pricing = RulesFixture.pricing + """

          - provider: anthropic
            model: claude-sonnet-4-5
            prices: {per: million, input: "3.00", output: "15.00", cache_read: "0.30", cache_creation: "3.75"}
        """

    /// An OpenAI call: 1000 prompt tokens of which 400 cached, 200 completion tokens of which 50
    /// reasoning: 600 × 2.50/M + 400 × 1.25/M + 200 × 10/M = 0.004.
    static var openAICall: [String: Any] {
        [
            "model": "gpt-4o",
            "usage": ["prompt_tokens": 1000, "completion_tokens": 200, "total_tokens": 1200,
                      "prompt_tokens_details": ["cached_tokens": 400], "completion_tokens_details": ["reasoning_tokens": 50]],
            "metadata": ["user_api_key_team_alias": "search", "user_api_key_alias": "support-bot", "user_api_key_end_user_id": "u-42"],
        ]
    }

    /// An Anthropic call as Anthropic reports it (input_tokens excludes the cache): 100 uncached,
    /// 2000 cache reads, 500 cache writes, 300 output: 100 × 3 + 2000 × 0.30 + 500 × 3.75 + 300 × 15
    /// per million = 0.007275. Copying Anthropic's `input_tokens` as the input would under-bill it.
    static var anthropicCall: [String: Any] {
        [
            "model": "anthropic/claude-sonnet-4-5",
            "usage": ["input_tokens": 100, "output_tokens": 300, "cache_read_input_tokens": 2000, "cache_creation_input_tokens": 500],
            "metadata": ["user_api_key_team_alias": "ads"],
        ]
    }

    static func start(config: String = "") async throws -> (RulesFixture, WardenProcess) {
        let fixture = try RulesFixture(config: config, pricing: pricing)
        return (fixture, try await WardenProcess(rules: fixture.rules, database: fixture.database))
    }

    /// Makes `calls` through LiteLLM, whose generic API logger posts them to the daemon; returns
    /// the daemon's answers to those posts.
    static func send(_ calls: [[String: Any]], to warden: WardenProcess, format: String = "json_array",
                     key: String? = nil) async throws -> [[String: Any]] {
        try await IntegrationScripts.run("litellm_calls.py", [try IntegrationScripts.json(calls),
                                                        "--endpoint", "\(warden.baseURL)/v1/integrations/litellm",
                                                        "--format", format] + (key.map { ["--key", $0] } ?? []))
    }

    /// The standard logging objects LiteLLM builds for `calls`, as JSON texts.
    static func capture(_ calls: [[String: Any]]) async throws -> [[String: Any]] {
        try await IntegrationScripts.run("litellm_calls.py", [try IntegrationScripts.json(calls), "--capture"])
    }

    @Test func aBatchFromLiteLLMsGenericLoggerIsPricedFromTheCatalogWithCachedAndReasoningTokens() async throws {
        let (fixture, warden) = try await Self.start()
        defer { fixture.remove() }

        let answers = try await Self.send([Self.openAICall, Self.anthropicCall], to: warden)

        #expect(answers.map { $0["status"] as? Int } == [200])
        let events = try await IntegrationScripts.recordedEvents(warden)
        #expect(events.count == 2)
        let openAI = try #require(events.values.first { $0["provider"] as? String == "openai" })
        #expect((openAI["id"] as? String)?.hasPrefix("litellm:chatcmpl-") == true)
        #expect(openAI["cost"] as? String == "0.004")
        #expect(openAI["input_tokens"] as? Int == 1000)
        #expect(openAI["cache_read_input_tokens"] as? Int == 400)
        #expect(openAI["reasoning_tokens"] as? Int == 50)
        #expect(openAI["attribution"] as? [String: String] == ["team": "search", "agent": "support-bot", "user": "u-42"])
        let anthropic = try #require(events.values.first { $0["provider"] as? String == "anthropic" })
        #expect(anthropic["cost"] as? String == "0.007275")
        #expect(anthropic["input_tokens"] as? Int == 2600)
        #expect(anthropic["cache_creation_input_tokens"] as? Int == 500)
        #expect(anthropic["attribution"] as? [String: String] == ["team": "ads"])
        await warden.stop()
    }

    @Test(arguments: ["ndjson", "single"])
    func theLoggersOtherFormatsAreAcceptedToo(format: String) async throws {
        let (fixture, warden) = try await Self.start()
        defer { fixture.remove() }

        let answers = try await Self.send([Self.openAICall, Self.anthropicCall], to: warden, format: format)

        #expect(answers.map { $0["status"] as? Int } == (format == "single" ? [200, 200] : [200]))
        let costs = try await IntegrationScripts.recordedEvents(warden).values.compactMap { $0["cost"] as? String }
        #expect(costs.sorted() == ["0.004", "0.007275"])
        await warden.stop()
    }

    @Test func aFailedCallIsIgnoredAndCountedAsSuch() async throws {
        let (fixture, warden) = try await Self.start()
        defer { fixture.remove() }

        let answers = try await Self.send([["model": "gpt-4o", "fail": true]], to: warden)

        #expect(answers.map { $0["status"] as? Int } == [200])
        #expect(try await IntegrationScripts.recordedEvents(warden).isEmpty)
        let metrics = Exposition(try await HTTP.get("\(warden.baseURL)/metrics").text)
        #expect(metrics.values("tokenwarden_integration_records_total", where: ["source": "litellm", "result": "ignored"]) == [1])
        #expect(metrics.values("tokenwarden_integration_records_total", where: ["source": "litellm", "result": "accepted"]) == [0])
        await warden.stop()
    }

    @Test func aPayloadSentAgainIsADuplicateAndCountsOnce() async throws {
        let (fixture, warden) = try await Self.start()
        defer { fixture.remove() }
        let payload = try IntegrationScripts.json(try await Self.capture([Self.openAICall]))

        let first = try await HTTP.postJSON("\(warden.baseURL)/v1/integrations/litellm", payload)
        let again = try await HTTP.postJSON("\(warden.baseURL)/v1/integrations/litellm", payload)

        #expect(first.status == 200)
        #expect(again.status == 200)
        #expect((try again.jsonObject()["results"] as? [[String: Any]])?.map { $0["duplicate"] as? Bool } == [true])
        let metrics = Exposition(try await HTTP.get("\(warden.baseURL)/metrics").text)
        #expect(metrics.values("tokenwarden_cost_total", where: ["model": "gpt-4o"]) == [0.004])
        #expect(metrics.values("tokenwarden_integration_records_total", where: ["source": "litellm", "result": "duplicate"]) == [1])
        await warden.stop()
    }

    @Test func aBatchWithOneBrokenPayloadRecordsNothingAndNamesTheField() async throws {
        let (fixture, warden) = try await Self.start()
        defer { fixture.remove() }
        var payloads = try await Self.capture([Self.openAICall, Self.anthropicCall])
        payloads[1]["prompt_tokens"] = "many"
        var usage = try #require((payloads[1]["metadata"] as? [String: Any])?["usage_object"] as? [String: Any])
        usage["cache_read_input_tokens"] = -1
        var metadata = try #require(payloads[1]["metadata"] as? [String: Any])
        metadata["usage_object"] = usage
        payloads[1]["metadata"] = metadata

        let response = try await HTTP.postJSON("\(warden.baseURL)/v1/integrations/litellm", try IntegrationScripts.json(payloads))

        #expect(response.status == 400)
        let errors = try response.jsonObject()["errors"] as? [[String: Any]] ?? []
        #expect(errors.map { $0["index"] as? Int } == [1, 1])
        #expect(errors.map { $0["field"] as? String } == ["prompt_tokens", "metadata.usage_object.cache_read_input_tokens"])
        #expect(try await IntegrationScripts.recordedEvents(warden).isEmpty)
        await warden.stop()
    }

    @Test func aBrokenNDJSONLineIsA400NamingTheLineAndRecordsNothing() async throws {
        let (fixture, warden) = try await Self.start()
        defer { fixture.remove() }
        let payload = try IntegrationScripts.json(try #require(try await Self.capture([Self.openAICall]).first))

        let response = try await HTTP.postJSON("\(warden.baseURL)/v1/integrations/litellm", payload + "\n{\"id\": \n")

        #expect(response.status == 400)
        #expect(try response.jsonObject()["line"] as? Int == 2)
        #expect(try await IntegrationScripts.recordedEvents(warden).isEmpty)
        await warden.stop()
    }

    @Test func aModelTheCatalogLacksRejectsTheBatchWith422() async throws {
        let (fixture, warden) = try await Self.start()
        defer { fixture.remove() }
        var call = Self.openAICall
        call["model"] = "gpt-4o-mini"
        let payload = try IntegrationScripts.json(try await Self.capture([Self.openAICall, call]))

        let response = try await HTTP.postJSON("\(warden.baseURL)/v1/integrations/litellm", payload)

        #expect(response.status == 422)
        let errors = try response.jsonObject()["errors"] as? [[String: Any]] ?? []
        #expect(errors.map { $0["index"] as? Int } == [1])
        #expect(errors.map { $0["field"] as? String } == ["model"])
        #expect(try await IntegrationScripts.recordedEvents(warden).isEmpty)
        await warden.stop()
    }

    @Test func aScopedKeyFillsInItsTeamAndRefusesAnotherTeamNamingTheField() async throws {
        let fixture = try RulesFixture(pricing: Self.pricing)
        defer { fixture.remove() }
        let key = try AuthEndToEndTests.create("litellm-proxy", "ingest", fixture, extra: ["--scope", "team=search"])
        let reader = try AuthEndToEndTests.create("reader", "read", fixture)
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)
        var unattributed = Self.openAICall
        unattributed["metadata"] = [:] as [String: Any]

        let filled = try await Self.send([unattributed], to: warden, key: key)
        let refused = try await Self.send([Self.openAICall, Self.anthropicCall], to: warden, key: key)

        #expect(filled.map { $0["status"] as? Int } == [200])
        #expect(refused.map { $0["status"] as? Int } == [403])
        #expect(refused.first?["body"] as? String
                == #"{"errors":[{"index":1,"field":"attribution.team","message":"key is scoped to team=search"}]}"#)
        let events = try await IntegrationScripts.recordedEvents(warden, key: reader)
        #expect(events.values.map { $0["attribution"] as? [String: String] } == [["team": "search"]])
        await warden.stop()
    }

    @Test func theDocumentedExampleRecordsItsCall() async throws {
        let (fixture, warden) = try await Self.start()
        defer { fixture.remove() }
        let page = try String(contentsOf: IntegrationScripts.repositoryRoot.appendingPathComponent("docs/integrations/litellm-proxy.md"),
                              encoding: .utf8)
        let example = try #require(DocumentedExample.python(in: page))

        let result = try await Tools.runOnOwnThread("env", ["TOKENWARDEN_URL=\(warden.baseURL)", try Tools.python(), "-c", example])

        #expect(result.status == 0, "\(result.output)")
        let events = try await IntegrationScripts.recordedEvents(warden)
        #expect(events.values.map { $0["cost"] as? String } == ["0.004"])
        await warden.stop()
    }
}

/// The runnable example of a documentation page: its first fenced `python` block.
enum DocumentedExample {
    static func python(in page: String) -> String? {
        guard let start = page.range(of: "```python\n"),
              let end = page.range(of: "\n```", range: start.upperBound..<page.endIndex) else { return nil }
        return String(page[start.upperBound..<end.lowerBound])
    }
}
