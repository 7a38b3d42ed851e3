import Testing
import WardenCore
import WardenFormats

/// How bodies are framed into events (single object, array, NDJSON), how events are numbered,
/// and which error a whole body produces.
@Suite struct UsageEventDecoderFramingTests {
    private typealias Body = UsageEventDecoderFixtures

    private func ids(_ events: [UsageEvent]) -> [String] { events.map(\.id) }

    // MARK: JSON

    @Test func decodesSingleObjectAsOneEvent() throws {
        #expect(ids(try Body.decode(Body.event())) == ["evt-1"])
    }

    @Test func decodesArrayOfEventsInOrder() throws {
        let body = "[\(Body.event(("id", #""a""#))), \(Body.event(("id", #""b""#))),\n \(Body.event(("id", #""c""#)))]"
        #expect(ids(try Body.decode(body)) == ["a", "b", "c"])
    }

    @Test func decodesFromRawBufferLikeFromArray() throws {
        let bytes = Array("[\(Body.typicalEvent(1)),\(Body.typicalEvent(2))]".utf8)
        let fromBuffer = try bytes.withUnsafeBytes { try Body.decoder.decode($0, format: .json) }
        #expect(fromBuffer == (try Body.decoder.decode(bytes, format: .json)))
        #expect(fromBuffer.count == 2)
    }

    @Test(arguments: [false, true])
    func aHundredTypicalEventsDecodeAlikeFromAnArrayAndFromNDJSON(distinctLabels: Bool) throws {
        let events = (0..<100).map { Body.typicalEvent($0, distinct: distinctLabels) }
        let array = try Body.decode("[" + events.joined(separator: ",") + "]")
        let ndjson = try Body.decode(events.joined(separator: "\n") + "\n", .ndjson)
        #expect(array.count == 100)
        #expect(array == ndjson)
        #expect(array.map(\.tokens.input) == (0..<100).map { Int64(12_000 + $0) })
    }

    @Test func toleratesLeadingByteOrderMark() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(Body.event().utf8)
        #expect(try Body.decoder.decode(bytes, format: .json).count == 1)
    }

    @Test func emptyArrayHasNoEvents() {
        #expect(Body.failure(" [ ] ") == .empty)
    }

    @Test func emptyOrBlankBodyHasNoEvents() {
        #expect(Body.failure("") == .empty)
        #expect(Body.failure(" \r\n\t") == .empty)
        #expect(Body.failure("", .ndjson) == .empty)
    }

    @Test func reportsMalformedJSONWithByteOffsetAndNoLine() {
        #expect(Body.failure(#"[{"id":"a" "provider":"p"}]"#)
            == .malformed(offset: 11, line: nil, message: "expected ',' or '}' after object member"))
    }

    @Test func reportsMissingCommaBetweenEvents() {
        let first = Body.event()
        #expect(Body.failure("[\(first) \(first)]")
            == .malformed(offset: first.utf8.count + 2, line: nil, message: "expected ',' or ']' after array element"))
    }

    @Test func reportsTruncatedArray() {
        let body = "[\(Body.event()),"
        #expect(Body.failure(body) == .malformed(offset: body.utf8.count, line: nil, message: "unexpected end of input, expected a value"))
        #expect(Body.failure("[") == .malformed(offset: 1, line: nil, message: "unexpected end of input, expected a value or ']'"))
    }

    @Test func rejectsNDJSONSentAsJSON() {
        let first = Body.event()
        #expect(Body.failure("\(first)\n\(first)\n")
            == .malformed(offset: first.utf8.count + 1, line: nil, message: "trailing characters after value"))
    }

    @Test func rejectsCharactersAfterTheArray() {
        #expect(Body.failure("[\(Body.event())] x") == .malformed(
            offset: Body.event().utf8.count + 3, line: nil, message: "trailing characters after value"))
    }

    @Test func countsTheEnclosingArrayTowardTheDepthLimit() {
        let deep = String(repeating: "[", count: 63) + String(repeating: "]", count: 63)
        #expect(Body.errors(deep, .json) == [Body.error("", "must be a JSON object")])
        #expect(Body.errors("[\(deep)]", .json) == [Body.error("", "must be a JSON object")])
        #expect(Body.failure("[[\(deep)]]") == .malformed(offset: 64, line: nil, message: "nesting deeper than 64 levels"))
    }

    // MARK: NDJSON

    @Test func decodesNDJSONOneEventPerLine() throws {
        let body = [Body.event(("id", #""a""#)), Body.event(("id", #""b""#))].joined(separator: "\n")
        #expect(ids(try Body.decode(body, .ndjson)) == ["a", "b"])
    }

    @Test func skipsBlankNDJSONLinesWithoutCountingThem() throws {
        let body = "\n" + Body.event(("id", #""a""#)) + "\n\n  \t\n" + Body.event(("id", #""b""#), ("model", "7")) + "\n\n"
        #expect(Body.errors(body, .ndjson) == [Body.error("model", "must be a string", index: 1)])
    }

    @Test func toleratesCRLFLineEnds() throws {
        let body = Body.event(("id", #""a""#)) + "\r\n\r\n" + Body.event(("id", #""b""#)) + "\r\n"
        #expect(ids(try Body.decode(body, .ndjson)) == ["a", "b"])
    }

    @Test func blankNDJSONHasNoEvents() {
        #expect(Body.failure("\n\r\n  \n", .ndjson) == .empty)
    }

    @Test func reportsMalformedNDJSONWithLineAndBodyOffset() {
        let good = Body.event()
        let body = good + "\n\n" + #"{"id":"x",}"# + "\n" + good
        #expect(Body.failure(body, .ndjson) == .malformed(
            offset: good.utf8.count + 2 + 10, line: 3, message: "expected a string key after ','"))
    }

    @Test func reportsTruncatedNDJSONLineAtItsEnd() {
        let body = #"{"id":"x","# + "\n" + Body.event()
        #expect(Body.failure(body, .ndjson) == .malformed(
            offset: 10, line: 1, message: "unexpected end of line, expected a string key after ','"))
    }

    @Test func rejectsTwoEventsOnOneLine() {
        let event = Body.event()
        #expect(Body.failure(event + " " + event, .ndjson)
            == .malformed(offset: event.utf8.count + 1, line: 1, message: "trailing characters after value"))
    }

    @Test func rejectsMultiLineObjectsInNDJSON() {
        #expect(Body.failure("{\n\"id\":\"a\"}", .ndjson)
            == .malformed(offset: 1, line: 1, message: "unexpected end of line, expected a string key or '}'"))
    }

    // MARK: Aggregation and limits

    @Test func collectsEveryErrorOfEveryEventInIndexOrder() {
        let body = "[" + [
            Body.event(("id", nil)),
            Body.event(),
            Body.event(("input_tokens", "-1"), ("surprise", "1")),
            "[]",
        ].joined(separator: ",") + "]"
        #expect(Body.errors(body) == [
            Body.error("id", "is required", index: 0),
            Body.error("input_tokens", "must not be negative", index: 2),
            Body.error("surprise", "unknown field", index: 2),
            Body.error("", "must be a JSON object", index: 3),
        ])
    }

    @Test func malformedBodyWinsOverInvalidEvents() {
        let body = "[" + Body.event(("id", nil)) + ", {]"
        #expect(Body.failure(body) == .malformed(
            offset: Body.event(("id", nil)).utf8.count + 4, line: nil, message: "expected a string key or '}'"))
    }

    @Test func acceptsExactlyMaxEventsPerBody() throws {
        let decoder = UsageEventDecoder(schema: .standard, maxEventsPerBody: 3)
        let body = Array(repeating: Body.event(), count: 3).joined(separator: "\n")
        #expect(try decoder.decode(Array(body.utf8), format: .ndjson).count == 3)
    }

    @Test func rejectsBodiesOverMaxEventsPerBody() {
        let decoder = UsageEventDecoder(schema: .standard, maxEventsPerBody: 3)
        let tooMany = Body.error("", "too many events in one body (at most 3); split the batch", index: 3)
        let array = "[" + Array(repeating: Body.event(), count: 5).joined(separator: ",") + "]"
        #expect(Body.errors(array, decoder: decoder) == [tooMany])
        let lines = Array(repeating: Body.event(), count: 4).joined(separator: "\n")
        #expect(Body.errors(lines, .ndjson, decoder: decoder) == [tooMany])
    }

    @Test func stopsListingErrorsAfterTheCap() {
        let manyEvents = Body.errors("[" + Array(repeating: "0", count: 1_500).joined(separator: ",") + "]")
        #expect(manyEvents.count == UsageEventDecoder.maxReportedErrors + 1)
        #expect(manyEvents.last == Body.error("", "too many errors; stopped after 1000", index: 1_000))
        let manyFields = Body.errors("{" + (0..<2_000).map { "\"f\($0)\":0" }.joined(separator: ",") + "}")
        #expect(manyFields.count == UsageEventDecoder.maxReportedErrors + 1)
        #expect(manyFields.last == Body.error("", "too many errors; stopped after 1000", index: 0))
    }

    @Test func repeatedModelAndAttributionDecodeLikeTheFirst() throws {
        let shared = [("model", #""claude-opus-4-1-20250805""#), ("attribution", #"{"team":"t","org":"o"}"#)]
        let body = (1...3).map { Body.event(("id", "\"e\($0)\""), shared[0], shared[1]) }.joined(separator: "\n")
        let events = try Body.decode(body, .ndjson)
        #expect(events.count == 3)
        #expect(events.allSatisfy { $0.model == "claude-opus-4-1-20250805" && $0.attribution == Attribution(["org": "o", "team": "t"]) })
    }

    @Test func repeatedInvalidAttributionIsReportedForEachEvent() {
        let bad = ("attribution", #"{"teem":"t"}"#)
        let body = "[" + [Body.event(bad), Body.event(bad), Body.event(("model", #""""#)), Body.event(("model", #""""#))]
            .joined(separator: ",") + "]"
        #expect(Body.errors(body).map { "\($0.index) \($0.field)" }
            == ["0 attribution.teem", "1 attribution.teem", "2 model", "3 model"])
    }

    @Test func describesErrorsForLogs() {
        #expect(UsageDecodeError.malformed(offset: 12, line: 3, message: "invalid escape").description
            == "malformed body at line 3 (byte 12): invalid escape")
        #expect(UsageDecodeError.invalid([Body.error("id", "is required"), Body.error("", "must be a JSON object", index: 1)])
            .description == "invalid events: event 0: id: is required; event 1: must be a JSON object")
        #expect(UsageDecodeError.empty.description == "no events in body")
    }
}
