import Foundation
import Testing
import TestSupport

/// `POST /v1/traces` fed by the OpenTelemetry Python SDK's OTLP/HTTP exporter (protobuf, plain
/// and gzip) and by OTLP/JSON written to the specification, against the real binary.
@Suite("OTLP GenAI spans end to end", .serialized)
struct OTLPEndToEndTests {
    static let config = """
        integrations:
          otlp:
            attribution: {agent: resource.service.name, team: span.tokenwarden.team}
        """

    /// An OpenAI chat span per the current conventions: 1200 input tokens of which 200 cache
    /// reads, 300 output: 1000 × 2.50/M + 200 × 1.25/M + 300 × 10/M = 0.00575.
    static var openAISpan: [String: Any] {
        [
            "name": "chat gpt-4o",
            "attributes": ["gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o", "gen_ai.response.model": "gpt-4o",
                           "gen_ai.usage.input_tokens": 1200, "gen_ai.usage.output_tokens": 300,
                           "gen_ai.usage.cache_read.input_tokens": 200, "tokenwarden.team": "search"],
        ]
    }

    /// An Anthropic span with older attribute names and Anthropic's own input count (cache
    /// excluded): 100 + 2000 read + 500 written = 2600 input; 100 × 3 + 2000 × 0.30 + 500 × 3.75
    /// + 300 × 15 per million = 0.007275 (`input_tokens_include_cache: {anthropic: false}`).
    static var anthropicSpan: [String: Any] {
        [
            "name": "chat claude-sonnet-4-5",
            "attributes": ["gen_ai.system": "anthropic", "gen_ai.request.model": "claude-sonnet-4-5",
                           "gen_ai.usage.input_tokens": 100, "gen_ai.usage.output_tokens": 300,
                           "gen_ai.usage.cache_read_input_tokens": 2000, "gen_ai.usage.cache_creation_input_tokens": 500],
        ]
    }

    static func start(config: String = OTLPEndToEndTests.config) async throws -> (RulesFixture, WardenProcess) {
        let fixture = try RulesFixture(config: config, pricing: LiteLLMEndToEndTests.pricing)
        return (fixture, try await WardenProcess(rules: fixture.rules, database: fixture.database))
    }

    /// Exports `spans` (under one parent span without usage) with the SDK's exporter.
    static func export(_ spans: [[String: Any]], to warden: WardenProcess, gzip: Bool = false, times: Int = 1,
                       key: String? = nil) async throws -> (results: [String], spans: [[String: Any]]) {
        let spec: [String: Any] = ["resource": ["service.name": "support-bot"], "spans": spans]
        let output = try await IntegrationScripts.run("otlp_spans.py", [try IntegrationScripts.json(spec), "--endpoint", "\(warden.baseURL)/v1/traces",
                                                                  "--times", "\(times)"] + (gzip ? ["--gzip"] : []) + (key.map { ["--key", $0] } ?? []))
        let report = try #require(output.last)
        return (report["results"] as? [String] ?? [], report["spans"] as? [[String: Any]] ?? [])
    }

    static func eventID(_ span: [String: Any]) -> String {
        "otlp:\(span["trace_id"] as? String ?? "")-\(span["span_id"] as? String ?? "")"
    }

    @Test(arguments: [false, true])
    func spansFromTheSDKsExporterArePricedExactlyAtTheirEnd(gzip: Bool) async throws {
        let (fixture, warden) = try await Self.start()
        defer { fixture.remove() }

        let sent = try await Self.export([Self.openAISpan, Self.anthropicSpan], to: warden, gzip: gzip)

        #expect(sent.results == ["SUCCESS"])
        let events = try await IntegrationScripts.recordedEvents(warden)
        #expect(events.count == 2)
        let openAISpan = try #require(sent.spans.first { $0["name"] as? String == "chat gpt-4o" })
        let openAI = try #require(events[Self.eventID(openAISpan)])
        #expect(openAI["cost"] as? String == "0.00575")
        #expect(openAI["attribution"] as? [String: String] == ["agent": "support-bot", "team": "search"])
        let end = try #require(openAISpan["end"] as? Int)
        #expect(openAI["time"] as? String == Self.rfc3339(nanoseconds: end))
        let anthropicSpan = try #require(sent.spans.first { $0["name"] as? String == "chat claude-sonnet-4-5" })
        let anthropic = try #require(events[Self.eventID(anthropicSpan)])
        #expect(anthropic["cost"] as? String == "0.007275")
        #expect(anthropic["input_tokens"] as? Int == 2600)
        let metrics = Exposition(try await HTTP.get("\(warden.baseURL)/metrics").text)
        #expect(metrics.values("tokenwarden_integration_records_total", where: ["source": "otlp", "result": "accepted"]) == [2])
        #expect(metrics.values("tokenwarden_integration_records_total", where: ["source": "otlp", "result": "ignored"]) == [1])
        await warden.stop()
    }

    @Test func spansSentAgainCountOnce() async throws {
        let (fixture, warden) = try await Self.start()
        defer { fixture.remove() }

        let sent = try await Self.export([Self.openAISpan], to: warden, times: 2)

        #expect(sent.results == ["SUCCESS", "SUCCESS"])
        let metrics = Exposition(try await HTTP.get("\(warden.baseURL)/metrics").text)
        #expect(metrics.values("tokenwarden_cost_total", where: ["model": "gpt-4o"]) == [0.00575])
        #expect(metrics.values("tokenwarden_integration_records_total", where: ["source": "otlp", "result": "duplicate"]) == [1])
        await warden.stop()
    }

    @Test func jsonIsAnsweredInJSONWithAPartialSuccessNamingEachRejectedSpan() async throws {
        let (fixture, warden) = try await Self.start()
        defer { fixture.remove() }
        // OTLP/JSON as the specification writes it: hex ids, int64 as strings, integer enums.
        let body = """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"billing-agent"}}]},
             "scopeSpans":[{"scope":{"name":"manual"},"spans":[
              {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"chat gpt-4o","kind":3,
               "startTimeUnixNano":"1767225600000000000","endTimeUnixNano":"1767225601500000000",
               "attributes":[{"key":"gen_ai.provider.name","value":{"stringValue":"openai"}},
                             {"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o"}},
                             {"key":"gen_ai.usage.input_tokens","value":{"intValue":"1200"}},
                             {"key":"gen_ai.usage.output_tokens","value":{"intValue":300}},
                             {"key":"gen_ai.usage.cache_read.input_tokens","value":{"intValue":"200"}}]},
              {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b175","name":"chat unnamed",
               "endTimeUnixNano":"1767225602000000000",
               "attributes":[{"key":"gen_ai.usage.input_tokens","value":{"intValue":"10"}}]},
              {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b176","name":"chat mini",
               "endTimeUnixNano":"1767225602000000000",
               "attributes":[{"key":"gen_ai.provider.name","value":{"stringValue":"openai"}},
                             {"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o-mini"}},
                             {"key":"gen_ai.usage.input_tokens","value":{"intValue":"10"}}]},
              {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b177","name":"tool call",
               "endTimeUnixNano":"1767225602000000000"}]}]}]}
            """

        let response = try await HTTP.postJSON("\(warden.baseURL)/v1/traces", body)

        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json")
        let partial = try #require(try response.jsonObject()["partialSuccess"] as? [String: Any])
        #expect(partial["rejectedSpans"] as? Int == 2)
        let message = partial["errorMessage"] as? String ?? ""
        #expect(message.contains(#"span 5b8efff798038103d269b633813fc60c-eee19b7ec3c1b175 "chat unnamed": gen_ai.response.model or gen_ai.request.model is required"#))
        #expect(message.contains(#"span 5b8efff798038103d269b633813fc60c-eee19b7ec3c1b176 "chat mini": unknown model "gpt-4o-mini""#))
        let events = try await IntegrationScripts.recordedEvents(warden)
        let event = try #require(events["otlp:5b8efff798038103d269b633813fc60c-eee19b7ec3c1b174"])
        #expect(events.count == 1)
        #expect(event["cost"] as? String == "0.00575")
        #expect(event["time"] as? String == "2026-01-01T00:00:01.5Z")
        #expect(event["attribution"] as? [String: String] == ["agent": "billing-agent"])
        await warden.stop()
    }

    @Test func aBodyThatIsNotAnExportIsA400StatusAndRecordsNothing() async throws {
        let (fixture, warden) = try await Self.start()
        defer { fixture.remove() }

        let garbage = try await HTTP.request("POST", "\(warden.baseURL)/v1/traces", body: Data([0x0A, 0xFF, 0xFF, 0x01]),
                                             headers: ["Content-Type": "application/x-protobuf"])
        let badID = try await HTTP.postJSON("\(warden.baseURL)/v1/traces",
                                            #"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"xyz","spanId":"eee19b7ec3c1b174"}]}]}]}"#)

        #expect(garbage.status == 400)
        #expect(garbage.header("Content-Type") == "application/x-protobuf")
        #expect(garbage.body.first == 0x08)  // google.rpc.Status, field 1 (code) first
        #expect(badID.status == 400)
        #expect(try badID.jsonObject()["message"] as? String == "resourceSpans[0].scopeSpans[0].spans[0].traceId must be 32 hex digits, not 3 characters")
        #expect(try await IntegrationScripts.recordedEvents(warden).isEmpty)
        await warden.stop()
    }

    @Test func anotherContentTypeOrContentEncodingIs415() async throws {
        let (fixture, warden) = try await Self.start()
        defer { fixture.remove() }

        let text = try await HTTP.request("POST", "\(warden.baseURL)/v1/traces", body: Data("{}".utf8),
                                          headers: ["Content-Type": "text/plain"])
        let brotli = try await HTTP.request("POST", "\(warden.baseURL)/v1/traces", body: Data("{}".utf8),
                                            headers: ["Content-Type": "application/json", "Content-Encoding": "br"])

        #expect(text.status == 415)
        #expect(try text.jsonObject()["message"] as? String == "Content-Type must be application/x-protobuf or application/json, not text/plain")
        #expect(brotli.status == 415)
        #expect(try brotli.jsonObject()["message"] as? String == "Content-Encoding br is not supported (use gzip or none)")
        await warden.stop()
    }

    @Test func aGzipBodyThatInflatesPastTheBodyLimitIs413() async throws {
        let (fixture, warden) = try await Self.start(config: "ingest: {max_body_bytes: 64KiB}")
        defer { fixture.remove() }
        // 1 MiB of spaces: about 1 KiB compressed, well under the limit until inflated.
        let gzipped = try Self.gzip(Data(repeating: 0x20, count: 1 << 20))

        let response = try await HTTP.request("POST", "\(warden.baseURL)/v1/traces", body: gzipped,
                                              headers: ["Content-Type": "application/json", "Content-Encoding": "gzip"])

        #expect(gzipped.count < 64 * 1024)
        #expect(response.status == 413)
        #expect(try response.jsonObject()["message"] as? String == "the inflated body is larger than 65536 bytes (ingest.max_body_bytes)")
        await warden.stop()
    }

    @Test func aScopedKeyRejectsSpansOfAnotherTeamAndKeepsTheRest() async throws {
        let fixture = try RulesFixture(config: Self.config, pricing: LiteLLMEndToEndTests.pricing)
        defer { fixture.remove() }
        let key = try AuthEndToEndTests.create("collector", "ingest", fixture, extra: ["--scope", "team=ads"])
        let reader = try AuthEndToEndTests.create("reader", "read", fixture)
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database)

        let sent = try await Self.export([Self.openAISpan, Self.anthropicSpan], to: warden, key: key)

        #expect(sent.results == ["SUCCESS"])  // a partial success is a success to the exporter
        let events = try await IntegrationScripts.recordedEvents(warden, key: reader)
        let anthropicSpan = try #require(sent.spans.first { $0["name"] as? String == "chat claude-sonnet-4-5" })
        #expect(Array(events.keys) == [Self.eventID(anthropicSpan)])
        #expect(events.values.first?["attribution"] as? [String: String] == ["agent": "support-bot", "team": "ads"])
        let metrics = Exposition(try await HTTP.get("\(warden.baseURL)/metrics", headers: ["Authorization": "Bearer \(reader)"]).text)
        #expect(metrics.values("tokenwarden_integration_records_total", where: ["source": "otlp", "result": "rejected"]) == [1])
        await warden.stop()
    }

    @Test func theDocumentedExampleRecordsItsSpan() async throws {
        let (fixture, warden) = try await Self.start()
        defer { fixture.remove() }
        let page = try String(contentsOf: IntegrationScripts.repositoryRoot.appendingPathComponent("docs/integrations/otlp.md"),
                              encoding: .utf8)
        let example = try #require(DocumentedExample.python(in: page))

        let result = try await Tools.runOnOwnThread("env", ["TOKENWARDEN_URL=\(warden.baseURL)", try Tools.python(), "-c", example])

        #expect(result.status == 0, "\(result.output)")
        let events = try await IntegrationScripts.recordedEvents(warden)
        #expect(events.values.map { $0["cost"] as? String } == ["0.00575"])
        await warden.stop()
    }

    static func rfc3339(nanoseconds: Int) -> String {
        let seconds = nanoseconds / 1_000_000_000
        let fraction = nanoseconds % 1_000_000_000
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        var digits = String(format: "%09d", fraction)
        while digits.hasSuffix("0") { digits.removeLast() }
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds))) + (digits.isEmpty ? "" : ".\(digits)") + "Z"
    }

    /// gzip of `data`, by Python's standard library (so the test trusts no code of ours).
    static func gzip(_ data: Data) throws -> Data {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tw-gzip-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try Tools.run("python3", ["-c", "import gzip, sys; open(sys.argv[1], 'wb').write(gzip.compress(sys.stdin.buffer.read()))", path],
                                   input: data)
        guard result.status == 0 else { throw TestFailure("gzip failed: \(result.output)") }
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }
}
