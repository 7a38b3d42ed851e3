import Testing
import WardenCore
import WardenFormats

/// The rules for each field of an event, one behaviour per test.
@Suite struct UsageEventDecoderFieldTests {
    private typealias Body = UsageEventDecoderFixtures
    private let allowedKeys = "agent, environment, feature, org, project, session, team, user"

    private func decodeOne(_ body: String) throws -> UsageEvent {
        let events = try Body.decode(body)
        try #require(events.count == 1)
        return events[0]
    }

    // MARK: All fields

    @Test func mapsEveryFieldOntoTheEvent() throws {
        let event = try decodeOne(Body.event(
            ("time", #""2026-11-23T10:51:00.5Z""#), ("cache_read_input_tokens", "800"),
            ("cache_creation_input_tokens", "100"), ("reasoning_tokens", "50"),
            ("attribution", #"{"team":"search","org":"acme"}"#), ("reservation", #""rsv-9""#)))
        #expect(event == UsageEvent(
            id: "evt-1", time: Timestamp(nanosecondsSinceEpoch: 1_795_431_060_500_000_000),
            provider: "anthropic", model: "claude-sonnet-4",
            tokens: TokenUsage(input: 1200, output: 300, cacheRead: 800, cacheCreation: 100, reasoning: 50),
            attribution: Attribution(["org": "acme", "team": "search"]), reservation: "rsv-9"))
    }

    @Test func acceptsFieldsInAnyOrder() throws {
        let event = try decodeOne(#"{"output_tokens":1,"input_tokens":2,"model":"m","provider":"p","id":"x"}"#)
        #expect(event.tokens == TokenUsage(input: 2, output: 1))
    }

    // MARK: id

    @Test func requiresID() {
        #expect(Body.errors(Body.event(("id", nil))) == [Body.error("id", "is required")])
    }

    @Test func rejectsEmptyID() {
        #expect(Body.errors(Body.event(("id", #""""#))) == [Body.error("id", "must not be empty")])
    }

    @Test func acceptsIDOfExactly256Bytes() throws {
        let id = String(repeating: "é", count: 128)  // 256 UTF-8 bytes
        #expect(try decodeOne(Body.event(("id", "\"\(id)\""))).id == id)
    }

    @Test func rejectsIDLongerThan256Bytes() {
        let id = String(repeating: "a", count: 257)
        #expect(Body.errors(Body.event(("id", "\"\(id)\""))) == [Body.error("id", "must be at most 256 bytes (got 257)")])
    }

    @Test func measuresEscapedIDsAfterUnescaping() throws {
        let escaped = String(repeating: #"\u0041"#, count: 256)  // 1536 bytes on the wire, 256 decoded
        #expect(try decodeOne(Body.event(("id", "\"\(escaped)\""))).id == String(repeating: "A", count: 256))
        let tooLong = String(repeating: #"\n"#, count: 257)
        #expect(Body.errors(Body.event(("id", "\"\(tooLong)\""))) == [Body.error("id", "must be at most 256 bytes (got 257)")])
    }

    @Test func rejectsNonStringID() {
        #expect(Body.errors(Body.event(("id", "42"))) == [Body.error("id", "must be a string")])
    }

    @Test func rejectsNullID() {
        #expect(Body.errors(Body.event(("id", "null"))) == [Body.error("id", "must be a string")])
    }

    // MARK: time

    @Test func absentTimeMeansNowAtReceipt() throws {
        #expect(try decodeOne(Body.event()).time == nil)
    }

    @Test func nullTimeMeansNowAtReceipt() throws {
        #expect(try decodeOne(Body.event(("time", "null"))).time == nil)
    }

    @Test func readsRFC3339TimeWithOffset() throws {
        let event = try decodeOne(Body.event(("time", #""2026-11-23T12:51:00+02:00""#)))
        #expect(event.time == (try Timestamp(rfc3339: "2026-11-23T10:51:00Z")))
    }

    @Test func rejectsMalformedTimeNamingTheCharacter() {
        #expect(Body.errors(Body.event(("time", #""2026-11-23 10:51""#)))
            == [Body.error("time", "invalid RFC 3339 time at character 17: expected ':'")])
    }

    @Test func rejectsTimeOutsideRepresentableYears() {
        #expect(Body.errors(Body.event(("time", #""9999-12-31T23:59:59Z""#)))
            == [Body.error("time", "must be between the years 1678 and 2261")])
        #expect(Body.errors(Body.event(("time", #""0001-01-01T00:00:00Z""#)))
            == [Body.error("time", "must be between the years 1678 and 2261")])
    }

    @Test func rejectsNumericTime() {
        #expect(Body.errors(Body.event(("time", "1795431060"))) == [Body.error("time", "must be a string")])
    }

    // MARK: provider and model

    @Test func requiresProviderAndModel() {
        #expect(Body.errors(Body.event(("provider", nil), ("model", nil)))
            == [Body.error("provider", "is required"), Body.error("model", "is required")])
    }

    @Test func rejectsEmptyModel() {
        #expect(Body.errors(Body.event(("model", #""""#))) == [Body.error("model", "must not be empty")])
    }

    @Test func rejectsProviderLongerThan256Bytes() {
        let provider = String(repeating: "p", count: 300)
        #expect(Body.errors(Body.event(("provider", "\"\(provider)\"")))
            == [Body.error("provider", "must be at most 256 bytes (got 300)")])
    }

    @Test func rejectsNonStringModel() {
        #expect(Body.errors(Body.event(("model", #"["gpt"]"#))) == [Body.error("model", "must be a string")])
    }

    // MARK: token counts

    @Test func requiresInputAndOutputTokens() {
        #expect(Body.errors(Body.event(("input_tokens", nil), ("output_tokens", nil)))
            == [Body.error("input_tokens", "is required"), Body.error("output_tokens", "is required")])
    }

    @Test func defaultsOptionalCountsToZero() throws {
        #expect(try decodeOne(Body.event()).tokens == TokenUsage(input: 1200, output: 300, cacheRead: 0, cacheCreation: 0, reasoning: 0))
    }

    @Test func treatsNullOptionalCountAsZero() throws {
        #expect(try decodeOne(Body.event(("reasoning_tokens", "null"))).tokens.reasoning == 0)
    }

    @Test func rejectsNullRequiredCount() {
        #expect(Body.errors(Body.event(("output_tokens", "null"))) == [Body.error("output_tokens", "must be a number of tokens")])
    }

    @Test func rejectsFractionalCount() {
        #expect(Body.errors(Body.event(("input_tokens", "1.5"))) == [Body.error("input_tokens", "must be a whole number of tokens")])
    }

    @Test func acceptsWholeCountWrittenWithDecimalPoint() throws {
        #expect(try decodeOne(Body.event(("input_tokens", "1200.0"))).tokens.input == 1200)
        #expect(try decodeOne(Body.event(("input_tokens", "1.2e3"))).tokens.input == 1200)
        #expect(try decodeOne(Body.event(("output_tokens", "0.0"))).tokens.output == 0)
    }

    @Test func acceptsExponentWithWholeValue() throws {
        #expect(try decodeOne(Body.event(("input_tokens", "12e2"))).tokens.input == 1200)
        #expect(try decodeOne(Body.event(("output_tokens", "3E+2"))).tokens.output == 300)
    }

    @Test func rejectsExponentWithFractionalValue() {
        #expect(Body.errors(Body.event(("output_tokens", "3e-1"))) == [Body.error("output_tokens", "must be a whole number of tokens")])
    }

    @Test func rejectsNegativeCount() {
        #expect(Body.errors(Body.event(("output_tokens", "-1"))) == [Body.error("output_tokens", "must not be negative")])
        #expect(Body.errors(Body.event(("output_tokens", "-99999999999999999999")))
            == [Body.error("output_tokens", "must not be negative")])
    }

    @Test func acceptsNegativeZeroAsZero() throws {
        #expect(try decodeOne(Body.event(("output_tokens", "-0"))).tokens.output == 0)
    }

    @Test func acceptsCountAtTheSanityCap() throws {
        #expect(try decodeOne(Body.event(("input_tokens", "1000000000000"))).tokens.input == 1_000_000_000_000)
    }

    @Test func rejectsCountAboveTheSanityCap() {
        let message = "must be at most 1000000000000"
        #expect(Body.errors(Body.event(("input_tokens", "1000000000001"))) == [Body.error("input_tokens", message)])
        #expect(Body.errors(Body.event(("input_tokens", "1e30"))) == [Body.error("input_tokens", message)])
    }

    @Test func rejectsCountAsString() {
        #expect(Body.errors(Body.event(("input_tokens", #""1200""#))) == [Body.error("input_tokens", "must be a number of tokens")])
    }

    @Test func rejectsCountAsBoolean() {
        #expect(Body.errors(Body.event(("cache_read_input_tokens", "true")))
            == [Body.error("cache_read_input_tokens", "must be a number of tokens")])
    }

    // MARK: relations between counts

    @Test func acceptsCacheCountsSummingToInput() throws {
        let event = try decodeOne(Body.event(("cache_read_input_tokens", "1000"), ("cache_creation_input_tokens", "200")))
        #expect(event.tokens.uncachedInput == 0)
    }

    @Test func rejectsCacheCountsExceedingInput() {
        #expect(Body.errors(Body.event(("cache_read_input_tokens", "1000"), ("cache_creation_input_tokens", "201")))
            == [Body.error("cache_read_input_tokens",
                           "cache_read_input_tokens (1000) + cache_creation_input_tokens (201) must not exceed "
                           + "input_tokens (1200), which counts cached tokens too")])
    }

    @Test func skipsCacheSumCheckWhenACountIsInvalid() {
        #expect(Body.errors(Body.event(("input_tokens", "-5"), ("cache_read_input_tokens", "10")))
            == [Body.error("input_tokens", "must not be negative")])
        #expect(Body.errors(Body.event(("input_tokens", nil), ("cache_read_input_tokens", "10")))
            == [Body.error("input_tokens", "is required")])
    }

    @Test func rejectsReasoningExceedingOutput() {
        #expect(Body.errors(Body.event(("reasoning_tokens", "301")))
            == [Body.error("reasoning_tokens",
                           "reasoning_tokens (301) must not exceed output_tokens (300), which counts reasoning tokens too")])
    }

    // MARK: attribution

    @Test func sortsAttributionLabelsByKey() throws {
        let event = try decodeOne(Body.event(("attribution", #"{"user":"u1","agent":"a","org":"o"}"#)))
        #expect(event.attribution.labels.map(\.key) == ["agent", "org", "user"])
        #expect(event.attribution["user"] == "u1")
    }

    @Test func absentOrNullAttributionIsEmpty() throws {
        #expect(try decodeOne(Body.event()).attribution.isEmpty)
        #expect(try decodeOne(Body.event(("attribution", "null"))).attribution.isEmpty)
    }

    @Test func rejectsUnknownAttributionKeyListingAllowedKeys() {
        #expect(Body.errors(Body.event(("attribution", #"{"teem":"x"}"#)))
            == [Body.error("attribution.teem", "unknown attribution key \"teem\"; allowed keys: \(allowedKeys)")])
    }

    @Test func acceptsExtraKeysTheSchemaAllows() throws {
        let decoder = UsageEventDecoder(schema: try AttributionSchema(extraKeys: ["cost_center"]))
        let events = try decoder.decode(Array(Body.event(("attribution", #"{"cost_center":"cc-7"}"#)).utf8), format: .json)
        #expect(events.first?.attribution["cost_center"] == "cc-7")
    }

    @Test func rejectsNonStringLabelValue() {
        #expect(Body.errors(Body.event(("attribution", #"{"team":7}"#))) == [Body.error("attribution.team", "must be a string")])
    }

    @Test func rejectsEmptyLabelValue() {
        #expect(Body.errors(Body.event(("attribution", #"{"team":""}"#))) == [Body.error("attribution.team", "must not be empty")])
    }

    @Test func rejectsLabelValueLongerThan256Bytes() {
        let value = String(repeating: "t", count: 257)
        #expect(Body.errors(Body.event(("attribution", "{\"team\":\"\(value)\"}")))
            == [Body.error("attribution.team", "must be at most 256 bytes (got 257)")])
    }

    @Test func rejectsDuplicateAttributionKey() {
        #expect(Body.errors(Body.event(("attribution", #"{"team":"a","team":"b"}"#)))
            == [Body.error("attribution.team", "duplicate key")])
    }

    @Test func rejectsNonObjectAttribution() {
        #expect(Body.errors(Body.event(("attribution", #"["team"]"#))) == [Body.error("attribution", "must be an object")])
    }

    @Test func reportsEveryBadLabelOfAnEvent() {
        #expect(Body.errors(Body.event(("attribution", #"{"x":"1","team":false,"org":"ok","y":"2"}"#))) == [
            Body.error("attribution.x", "unknown attribution key \"x\"; allowed keys: \(allowedKeys)"),
            Body.error("attribution.team", "must be a string"),
            Body.error("attribution.y", "unknown attribution key \"y\"; allowed keys: \(allowedKeys)"),
        ])
    }

    // MARK: reservation

    @Test func readsReservation() throws {
        #expect(try decodeOne(Body.event(("reservation", #""rsv-1""#))).reservation == "rsv-1")
        #expect(try decodeOne(Body.event(("reservation", "null"))).reservation == nil)
    }

    @Test func rejectsEmptyReservation() {
        #expect(Body.errors(Body.event(("reservation", #""""#))) == [Body.error("reservation", "must not be empty")])
    }

    // MARK: the object itself

    @Test func rejectsUnknownTopLevelField() {
        #expect(Body.errors(Body.event(("cost", "0.12"))) == [Body.error("cost", "unknown field")])
    }

    @Test func rejectsDuplicateField() {
        let body = #"{"id":"a","id":"b","provider":"p","model":"m","input_tokens":1,"output_tokens":1}"#
        #expect(Body.errors(body) == [Body.error("id", "duplicate field")])
    }

    @Test func matchesFieldNamesWrittenWithEscapes() throws {
        let event = try decodeOne(#"{"\u0069d":"x","provider":"p","model":"m","input\u005ftokens":1,"output_tokens":1,"#
            + #""attribution":{"te\u0061m":"t"}}"#)
        #expect(event.id == "x")
        #expect(event.attribution["team"] == "t")
    }

    @Test func decodesEscapesInValues() throws {
        #expect(try decodeOne(Body.event(("model", #""gpt\u20114\/o \"mini\"""#))).model == "gpt‑4/o \"mini\"")
    }

    @Test func rejectsEventThatIsNotAnObject() {
        #expect(Body.errors("[42]") == [Body.error("", "must be a JSON object")])
        #expect(Body.errors(#""evt""#) == [Body.error("", "must be a JSON object")])
    }

    @Test func reportsErrorsInFieldOrderThenMissingThenRelations() {
        let body = #"{"extra":1,"input_tokens":10,"cache_read_input_tokens":11,"model":"","provider":"p","output_tokens":true}"#
        #expect(Body.errors(body) == [
            Body.error("extra", "unknown field"),
            Body.error("model", "must not be empty"),
            Body.error("output_tokens", "must be a number of tokens"),
            Body.error("id", "is required"),
            Body.error("cache_read_input_tokens",
                       "cache_read_input_tokens (11) + cache_creation_input_tokens (0) must not exceed input_tokens (10), "
                       + "which counts cached tokens too"),
        ])
    }
}
