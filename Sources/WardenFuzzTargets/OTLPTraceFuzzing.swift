import WardenCore
import WardenFormats

/// `POST /v1/traces` bodies, in either OTLP/HTTP encoding, read as the route reads them: an export
/// that decodes has every span accounted for once (an event, ignored, or rejected with a reason),
/// events carry the `otlp:` id prefix, obey ``InputBounds`` and the count relations and only
/// configured labels; a JSON body that is not JSON is refused with an offset inside it; decoding
/// and reading twice give the same answer.
enum OTLPTraceFuzzing {
    static let reader = GenAISpanReader(settings: OTLPIntegrationSettings(), maxAttributionBytes: 256)
    static let labels = Set(OTLPIntegrationSettings().attribution.entries.map(\.label))

    static func runProtobuf(_ bytes: [UInt8]) throws(InvariantViolation) {
        try run(bytes) { () throws(OTLPDecodeError) in try OTLPTraceExport(protobuf: bytes) }
    }

    static func runJSON(_ bytes: [UInt8]) throws(InvariantViolation) {
        try run(bytes) { () throws(OTLPDecodeError) in try OTLPTraceExport(json: bytes) }
        let malformed = Result { () throws(JSONSyntaxError) in try JSONDocument(parsing: bytes) }
        let export = Result { () throws(OTLPDecodeError) in try OTLPTraceExport(json: bytes) }
        switch (malformed, export) {
        case (.failure(let syntax), .failure(let error)):
            try require(error.message == "malformed JSON at byte \(syntax.offset): \(syntax.message)",
                        "JSON refused as \(error.message.debugDescription), not as the parser refuses it (\(syntax))")
            try require((0...bytes.count).contains(syntax.offset), "offset \(syntax.offset) outside the body")
        case (.failure(let syntax), .success):
            throw InvariantViolation("an export decoded from bytes that are not JSON (\(syntax))")
        case (.success, .failure(let error)):
            try require(!error.message.hasPrefix("malformed JSON"), "JSON refused as malformed: \(error.message)")
        case (.success, .success):
            break
        }
    }

    static func run(_ bytes: [UInt8], _ decode: () throws(OTLPDecodeError) -> OTLPTraceExport) throws(InvariantViolation) {
        let export: OTLPTraceExport
        do {
            export = try decode()
        } catch {
            try require(!error.message.isEmpty, "refused without a message")
            return
        }
        let spans = reader.read(export)
        let again = (try? decode()).map(reader.read)
        try require(again?.events == spans.events && again?.rejected == spans.rejected && again?.ignored == spans.ignored,
                    "reading the export twice gave two answers")
        try require(spans.events.count + spans.ignored + spans.rejected.count == export.spanCount,
                    "\(export.spanCount) spans, but \(spans.events.count) events, \(spans.ignored) ignored, \(spans.rejected.count) rejected")
        try require(spans.spanNames.count == spans.events.count, "a span name for each event")
        try require(spans.rejected.allSatisfy { !$0.isEmpty }, "a rejection without a reason")
        for event in spans.events {
            try require(event.id.hasPrefix(GenAISpanReader.idPrefix) && event.id.utf8.count == GenAISpanReader.idPrefix.utf8.count + 32 + 1 + 16,
                        "event id \(event.id.debugDescription) is not otlp:<trace>-<span>")
            try require(!event.provider.isEmpty && !event.model.isEmpty, "an event without provider or model")
            try require(event.time.map { $0.nanosecondsSinceEpoch > 0 } ?? false, "an event without its span's end")
            try IntegrationEventChecks.check(event, labels: labels, maxAttributionBytes: reader.maxAttributionBytes)
        }
    }
}
