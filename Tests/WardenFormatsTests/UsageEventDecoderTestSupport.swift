import Testing
import WardenCore
import WardenFormats

/// Bodies and shortcuts shared by the usage decoder tests.
enum UsageEventDecoderFixtures {
    static let decoder = UsageEventDecoder(schema: .standard)

    /// The fields of a minimal valid event, as (name, raw JSON value), in body order.
    static let minimalFields: [(String, String)] = [
        ("id", #""evt-1""#), ("provider", #""anthropic""#), ("model", #""claude-sonnet-4""#),
        ("input_tokens", "1200"), ("output_tokens", "300"),
    ]

    /// A minimal valid event with `changes` applied: a raw JSON value replaces or appends the
    /// field, `nil` removes it.
    static func event(_ changes: (String, String?)...) -> String {
        var fields = minimalFields
        for (name, value) in changes {
            if let index = fields.firstIndex(where: { $0.0 == name }) {
                if let value { fields[index].1 = value } else { fields.remove(at: index) }
            } else if let value {
                fields.append((name, value))
            }
        }
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    /// A realistic ~400-byte event with every field and five attribution labels. With
    /// `distinct`, the model and labels differ from event to event (no two events share them).
    static func typicalEvent(_ number: Int, distinct: Bool = false) -> String {
        let variant = distinct ? "-\(number)" : ""
        return #"{"id":"0b7c6f1e-4a5d-4f3b-9c2e-\#(String(100_000_000_000 + number))","time":"2026-11-23T10:51:00.123Z","#
            + #""provider":"anthropic","model":"claude-sonnet-4-5-20250929\#(variant)","input_tokens":\#(12_000 + number),"#
            + #""output_tokens":850,"cache_read_input_tokens":9000,"cache_creation_input_tokens":1200,"#
            + #""reasoning_tokens":120,"attribution":{"org":"acme\#(variant)","team":"search-platform","#
            + #""project":"query-rewriter","agent":"rewriter-v2","environment":"production"}}"#
    }

    static func decode(_ body: String, _ format: UsageBodyFormat = .json) throws(UsageDecodeError) -> [UsageEvent] {
        try decoder.decode(Array(body.utf8), format: format)
    }

    /// The decode error for `body`, recording an issue if it decodes.
    static func failure(_ body: String, _ format: UsageBodyFormat = .json, decoder: UsageEventDecoder = decoder,
                        sourceLocation: SourceLocation = #_sourceLocation) -> UsageDecodeError? {
        do {
            let events = try decoder.decode(Array(body.utf8), format: format)
            Issue.record("expected an error, decoded \(events.count) events", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    /// The validation errors for `body`, recording an issue for any other outcome.
    static func errors(_ body: String, _ format: UsageBodyFormat = .json, decoder: UsageEventDecoder = decoder,
                       sourceLocation: SourceLocation = #_sourceLocation) -> [UsageValidationError] {
        switch failure(body, format, decoder: decoder, sourceLocation: sourceLocation) {
        case .invalid(let errors): return errors
        case let other?:
            Issue.record("expected validation errors, got \(other)", sourceLocation: sourceLocation)
            return []
        case nil: return []
        }
    }

    /// A validation error of event 0, the only event in most bodies here.
    static func error(_ field: String, _ message: String, index: Int = 0) -> UsageValidationError {
        UsageValidationError(index: index, field: field, message: message)
    }
}
