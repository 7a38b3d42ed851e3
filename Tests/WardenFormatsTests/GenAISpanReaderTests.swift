import Testing
import WardenCore
import WardenFormats

/// Which OTLP spans become usage events, and how their attributes are read.
@Suite struct GenAISpanReaderTests {
    /// An OTLP/JSON export of one span with `attributes` (each `"key": value` as OTLP/JSON's
    /// `{"key", "value"}`, the value already in its AnyValue form).
    static func export(_ attributes: [(String, String)], resource: [(String, String)] = [("service.name", #"{"stringValue":"bot"}"#)],
                       traceID: String = "0af7651916cd43dd8448eb211c80319c", spanID: String = "b7ad6b7169203331") throws -> OTLPTraceExport {
        func list(_ pairs: [(String, String)]) -> String {
            pairs.map { #"{"key":"\#($0.0)","value":\#($0.1)}"# }.joined(separator: ",")
        }
        let body = """
            {"resourceSpans":[{"resource":{"attributes":[\(list(resource))]},"scopeSpans":[{"spans":[
              {"traceId":"\(traceID)","spanId":"\(spanID)","name":"chat","endTimeUnixNano":"1767225600000000000",
               "attributes":[\(list(attributes))]}]}]}]}
            """
        return try OTLPTraceExport(json: Array(body.utf8))
    }

    static func int(_ value: Int) -> String { #"{"intValue":"\#(value)"}"# }
    static func string(_ value: String) -> String { #"{"stringValue":"\#(value)"}"# }

    static let reader = GenAISpanReader(settings: OTLPIntegrationSettings())

    @Test func aSpanWithoutUsageAttributesIsIgnored() throws {
        let spans = Self.reader.read(try Self.export([("gen_ai.request.model", Self.string("gpt-4o")), ("http.method", Self.string("POST"))]))
        #expect(spans.events.isEmpty)
        #expect(spans.ignored == 1)
        #expect(spans.rejected.isEmpty)
    }

    @Test func theCurrentNamesWinOverTheOlderOnesWhateverTheirOrder() throws {
        let spans = Self.reader.read(try Self.export([
            ("gen_ai.usage.prompt_tokens", Self.int(1)), ("gen_ai.usage.input_tokens", Self.int(1200)),
            ("gen_ai.usage.completion_tokens", Self.int(2)), ("gen_ai.usage.output_tokens", Self.int(300)),
            ("gen_ai.usage.cache_read.input_tokens", Self.int(200)), ("gen_ai.usage.reasoning_tokens", Self.int(40)),
            ("gen_ai.system", Self.string("az.ai.openai")), ("gen_ai.provider.name", Self.string("openai")),
            ("gen_ai.request.model", Self.string("gpt-4o")), ("gen_ai.response.model", Self.string("gpt-4o-2024-08-06")),
        ]))
        let event = try #require(spans.events.first)
        #expect(event.id == "otlp:0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331")
        #expect(event.provider == "openai")
        #expect(event.model == "gpt-4o-2024-08-06")
        #expect(event.tokens == TokenUsage(input: 1200, output: 300, cacheRead: 200, reasoning: 40))
        #expect(event.time == Timestamp(nanosecondsSinceEpoch: 1_767_225_600_000_000_000))
        #expect(event.attribution == Attribution(["agent": "bot"]))
    }

    @Test func anthropicsRawInputGetsItsCacheCountsAddedByDefault() throws {
        let spans = Self.reader.read(try Self.export([
            ("gen_ai.provider.name", Self.string("anthropic")), ("gen_ai.request.model", Self.string("claude-sonnet-4")),
            ("gen_ai.usage.input_tokens", Self.int(100)), ("gen_ai.usage.output_tokens", Self.int(300)),
            ("gen_ai.usage.cache_read.input_tokens", Self.int(2000)), ("gen_ai.usage.cache_creation.input_tokens", Self.int(500)),
        ]))
        #expect(spans.events.first?.tokens == TokenUsage(input: 2600, output: 300, cacheRead: 2000, cacheCreation: 500))
    }

    @Test func aProviderRenameAndAWholeDoubleAreAccepted() throws {
        let spans = Self.reader.read(try Self.export([
            ("gen_ai.provider.name", Self.string("aws.bedrock")), ("gen_ai.request.model", Self.string("m")),
            ("gen_ai.usage.input_tokens", #"{"doubleValue":12.0}"#),
        ]))
        #expect(spans.events.first?.provider == "bedrock")
        #expect(spans.events.first?.tokens == TokenUsage(input: 12, output: 0))
    }

    @Test func aSpanWithBadCountsIsRejectedNamingItAndEveryProblem() throws {
        let spans = Self.reader.read(try Self.export([
            ("gen_ai.provider.name", Self.string("openai")), ("gen_ai.request.model", Self.string("gpt-4o")),
            ("gen_ai.usage.input_tokens", Self.int(-5)), ("gen_ai.usage.output_tokens", #"{"doubleValue":1.5}"#),
        ]))
        #expect(spans.events.isEmpty)
        #expect(spans.rejected == [#"span 0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331 "chat": gen_ai.usage.input_tokens must not be negative; "#
                                   + "gen_ai.usage.output_tokens must be a whole number of tokens"])
    }

    @Test func cacheCountsAboveTheInputAreRejectedWhenTheInputIncludesThem() throws {
        let spans = Self.reader.read(try Self.export([
            ("gen_ai.provider.name", Self.string("openai")), ("gen_ai.request.model", Self.string("gpt-4o")),
            ("gen_ai.usage.input_tokens", Self.int(100)), ("gen_ai.usage.cache_read.input_tokens", Self.int(200)),
        ]))
        #expect(spans.rejected.count == 1)
        #expect(spans.rejected.first?.contains("cache reads (200) and writes (0) exceed the input tokens (100)") == true)
    }

    @Test func attributionComesFromTheResourceAndTheSpanAsConfigured() throws {
        var settings = OTLPIntegrationSettings()
        settings.attribution = AttributionMapping([.init(label: "team", path: "span.app.team"),
                                                   .init(label: "environment", path: "resource.deployment.environment.name")])
        let spans = GenAISpanReader(settings: settings).read(try Self.export(
            [("gen_ai.provider.name", Self.string("openai")), ("gen_ai.request.model", Self.string("gpt-4o")),
             ("gen_ai.usage.input_tokens", Self.int(1)), ("app.team", Self.string("search"))],
            resource: [("deployment.environment.name", Self.string("prod"))]))
        #expect(spans.events.first?.attribution == Attribution(["team": "search", "environment": "prod"]))
    }
}
