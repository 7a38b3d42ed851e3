import WardenCore
import WardenFormats

/// `POST /v1/integrations/litellm` bodies (one payload object, an array of them, or NDJSON),
/// decoded with the default attribution paths plus one more through an array-free nested path.
/// Accepted records obey ``InputBounds`` and the count relations, carry the `litellm:` id prefix
/// and only configured labels; a malformed body is refused exactly as ``JSONDocument`` refuses it
/// (the decoder parses only the fields it reads, so this checks the members it skips); every
/// error points inside the body; decoding twice gives the same answer.
enum LiteLLMPayloadFuzzing {
    static let settings: LiteLLMIntegrationSettings = {
        var settings = LiteLLMIntegrationSettings()
        settings.attribution = AttributionMapping(settings.attribution.entries + [
            .init(label: "project", path: "metadata.requester_metadata.project"),
        ])
        return settings
    }()
    static let decoder = LiteLLMPayloadDecoder(settings: settings, maxAttributionBytes: 256)
    static let labels = Set(settings.attribution.entries.map(\.label))

    typealias Outcome = Result<[RecordSummary], UsageDecodeError>

    static func run(_ bytes: [UInt8]) throws(InvariantViolation) {
        let decoded = Result { () throws(UsageDecodeError) in try decoder.decode(bytes) }
        let outcome = decoded.map { $0.map(RecordSummary.init) }
        try require(answer(bytes) == outcome, "decoding twice gave two answers")
        try checkAgainstWholeParse(outcome, bytes)
        switch decoded {
        case .success(let records):
            try require(!records.isEmpty, "accepted a body without records")
            for record in records { try check(record) }
        case .failure(.malformed(let offset, let line, _)):
            try require((0...bytes.count).contains(offset), "malformed offset \(offset) outside the body of \(bytes.count) bytes")
            if let line { try require(line >= 1 && line <= bytes.count(where: { $0 == 0x0A }) + 1, "malformed line \(line)") }
        case .failure(.invalid(let errors)):
            try require(!errors.isEmpty, "invalid without errors")
            try require(errors.count <= UsageEventDecoder.maxReportedErrors, "\(errors.count) errors reported")
            try require(errors.allSatisfy { $0.index >= 0 }, "an error with a negative index")
        case .failure(.empty):
            break
        }
    }

    /// A body that is one JSON value is refused as malformed exactly when the general parser
    /// refuses it, with its offset and message (NDJSON, several values, is the exception), or when
    /// that value is a scalar, which is no payload.
    static func checkAgainstWholeParse(_ outcome: Outcome, _ bytes: [UInt8]) throws(InvariantViolation) {
        let isBlank = bytes.allSatisfy(isWhitespace)
        switch Result(catching: { () throws(JSONSyntaxError) in try JSONDocument(parsing: bytes) }) {
        case .success(let document):
            // Valid JSON is malformed only as a body: a value that is neither a payload nor a list of them.
            if case .failure(.malformed(let offset, _, let message)) = outcome,
               [.object, .array].contains(document.root.kind) || message != "expected a payload object, an array of them, or NDJSON" {
                throw InvariantViolation("refused a JSON document as malformed at byte \(offset): \(message)")
            }
        case .failure(let error):
            if isBlank {
                try require(outcome == .failure(.empty), "a blank body was not refused as empty")
            } else if !(bytes.first { !isWhitespace($0) } == UInt8(ascii: "{") && error.message.hasPrefix("trailing characters")) {
                try require(outcome == .failure(.malformed(offset: error.offset, line: nil, message: error.message)),
                            "answered \(outcome) where the whole parse says \(error)")
            }
        }
    }

    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

    static func check(_ record: LiteLLMRecord) throws(InvariantViolation) {
        switch record.kind {
        case .ignored(let id, let reason):
            try require(id.hasPrefix(LiteLLMPayloadDecoder.idPrefix), "ignored id \(id.debugDescription) without the prefix")
            try require(!reason.isEmpty, "ignored without a reason")
        case .usage(let event):
            try require(event.id.hasPrefix(LiteLLMPayloadDecoder.idPrefix) && event.id.count > LiteLLMPayloadDecoder.idPrefix.count,
                        "event id \(event.id.debugDescription) without the prefix and an id")
            try require(!event.provider.isEmpty && !event.model.isEmpty, "an event without provider or model")
            try IntegrationEventChecks.check(event, labels: labels, maxAttributionBytes: decoder.maxAttributionBytes)
        }
        if let cost = record.reportedCost {
            try require((try? JSONDocument(parsing: cost))?.root.kind == .number, "reported cost \(cost.debugDescription) is not a number")
        }
    }

    static func answer(_ bytes: [UInt8]) -> Outcome {
        Result { () throws(UsageDecodeError) in try decoder.decode(bytes).map(RecordSummary.init) }
    }
}

/// A ``LiteLLMRecord`` in a form two decodings can be compared in.
struct RecordSummary: Equatable {
    var event: UsageEvent?
    var ignored: String?
    var reportedCost: String?

    init(_ record: LiteLLMRecord) {
        switch record.kind {
        case .usage(let event): self.event = event
        case .ignored(let id, let reason): ignored = "\(id): \(reason)"
        }
        reportedCost = record.reportedCost
    }
}
