import WardenCore
import WardenFormats

/// `POST /v1/usage` bodies: the bytes are decoded as JSON and as NDJSON. Whatever the decoder
/// accepts must obey ``InputBounds`` and the relations between counts, and must be JSON the
/// general parser reads too; whatever it refuses must point inside the body.
enum UsageDecoderFuzzing {
    static let schema = try! AttributionSchema(extraKeys: ["region"])
    static let decoder = UsageEventDecoder(schema: schema, maxEventsPerBody: 1_000)

    static func run(_ bytes: [UInt8]) throws(InvariantViolation) {
        for format in [UsageBodyFormat.json, .ndjson] {
            let events: [UsageEvent]
            do {
                events = try decoder.decode(bytes, format: format)
            } catch {
                try checkRefusal(error, of: bytes, format: format)
                continue
            }
            try require(!events.isEmpty, "\(format): accepted a body without events")
            for event in events { try checkBounds(event) }
            if format == .json {
                let json = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
                try require((try? JSONDocument(parsing: json)) != nil, "json: the decoder accepted what JSONDocument refuses")
            }
        }
    }

    static func checkRefusal(_ error: UsageDecodeError, of bytes: [UInt8], format: UsageBodyFormat) throws(InvariantViolation) {
        switch error {
        case .malformed(let offset, let line, _):
            try require((0...bytes.count).contains(offset), "\(format): malformed offset \(offset) outside the body of \(bytes.count) bytes")
            try require((line == nil) == (format == .json), "\(format): malformed line \(String(describing: line))")
        case .invalid(let errors):
            try require(!errors.isEmpty, "\(format): invalid without errors")
            try require(errors.count <= UsageEventDecoder.maxReportedErrors + 1, "\(format): \(errors.count) errors reported")
        case .empty:
            break
        }
    }

    static func checkBounds(_ event: UsageEvent) throws(InvariantViolation) {
        for (field, text) in [("id", event.id), ("provider", event.provider), ("model", event.model)] {
            try checkText(text, field)
        }
        if let reservation = event.reservation { try checkText(reservation, "reservation") }
        let tokens = event.tokens
        for count in [tokens.input, tokens.output, tokens.cacheRead, tokens.cacheCreation, tokens.reasoning] {
            try require((0...InputBounds.maxTokenCount).contains(count), "token count \(count) out of bounds")
        }
        try require(tokens.cacheRead + tokens.cacheCreation <= tokens.input, "cached tokens exceed input tokens")
        try require(tokens.reasoning <= tokens.output, "reasoning tokens exceed output tokens")
        try checkAttribution(event.attribution, schema: schema, limit: decoder.maxAttributionBytes)
    }

    static func checkText(_ text: String, _ field: String) throws(InvariantViolation) {
        try require(InputBounds.textProblem(text) == nil, "\(field) \(text.debugDescription) breaks the text bounds")
    }

    static func checkAttribution(_ attribution: Attribution, schema: AttributionSchema, limit: Int) throws(InvariantViolation) {
        var total = 0
        var keys = Set<String>()
        for label in attribution.labels {
            try require(schema.allows(label.key), "attribution key \(label.key.debugDescription) not in the schema")
            try require(keys.insert(label.key).inserted, "attribution key \(label.key) twice")
            try checkText(label.value, "attribution.\(label.key)")
            total += label.key.utf8.count + label.value.utf8.count
        }
        try require(total <= limit, "attribution of \(total) bytes over the limit of \(limit)")
    }
}
