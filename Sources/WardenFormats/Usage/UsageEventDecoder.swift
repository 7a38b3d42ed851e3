import WardenCore

/// Turns a `POST /v1/usage` body into validated ``UsageEvent``s, or says exactly what is wrong.
///
/// The ingest hot path: it runs once per request on the server's worker threads, so it parses the
/// bytes in place with ``JSONParser`` (no Foundation, no `Codable` boxing), reuses one parse tape
/// per event rather than materialising the whole batch, and allocates little beyond the strings
/// it hands back. Hand-written because no library gives byte offsets, exact integers and a
/// per-event error list at this speed.
///
/// Decoding is all-or-nothing: a body that is not JSON fails as a whole with the byte offset of
/// the problem (``UsageDecodeError/malformed(offset:line:message:)``); otherwise every event is
/// validated and, if any broke a rule, *all* the errors are reported together
/// (``UsageDecodeError/invalid(_:)``) and no event is returned.
public struct UsageEventDecoder: Sendable {
    /// Longest accepted `id`, `provider`, `model`, `reservation` or attribution value, in UTF-8
    /// bytes (see ``InputBounds``).
    public static let maxTextBytes = InputBounds.maxTextBytes
    /// Largest accepted token count (see ``InputBounds``).
    public static let maxTokenCount = InputBounds.maxTokenCount

    /// Most validation errors one response lists. Every error is reported up to this point, but
    /// a hostile body (a million unknown keys) must not turn into a response, and memory, many
    /// times its size; past it decoding stops with a final error saying so.
    public static let maxReportedErrors = 1_000

    public let schema: AttributionSchema
    public let maxEventsPerBody: Int
    /// `schema.allowedKeys` as bytes laid end to end, and where each key lies among them, so
    /// attribution keys are matched without building strings.
    let attributionKeyBytes: [UInt8]
    let attributionKeyRanges: [Range<Int>]
    /// "agent, environment, …", rendered once for the unknown-key message.
    let allowedKeyList: String

    /// Most bytes an event's attribution keys and values may take together.
    public let maxAttributionBytes: Int
    /// Labels whose values are replaced by pseudonyms as each event is decoded, so no raw value
    /// goes further (checked against ``maxAttributionBytes`` before).
    public let pseudonymisation: Pseudonymisation

    public init(schema: AttributionSchema, maxEventsPerBody: Int = 100_000,
                maxAttributionBytes: Int = InputBounds.defaultMaxAttributionBytes, pseudonymisation: Pseudonymisation = .none) {
        precondition(maxEventsPerBody > 0, "maxEventsPerBody must be positive")
        self.schema = schema
        self.pseudonymisation = pseudonymisation
        self.maxEventsPerBody = maxEventsPerBody
        self.maxAttributionBytes = maxAttributionBytes
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        for key in schema.allowedKeys {
            ranges.append(bytes.count..<(bytes.count + key.utf8.count))
            bytes.append(contentsOf: key.utf8)
        }
        attributionKeyBytes = bytes
        attributionKeyRanges = ranges
        allowedKeyList = schema.allowedKeys.joined(separator: ", ")
    }

    public func decode(_ body: [UInt8], format: UsageBodyFormat) throws(UsageDecodeError) -> [UsageEvent] {
        try body.withUnsafeBufferPointer { bytes throws(UsageDecodeError) in
            try decode(UnsafeRawBufferPointer(bytes), format: format)
        }
    }

    /// Decodes a body the caller keeps alive for the duration of the call (for instance the
    /// HTTP library's upload buffer); nothing returned points into it.
    public func decode(_ body: UnsafeRawBufferPointer, format: UsageBodyFormat) throws(UsageDecodeError) -> [UsageEvent] {
        guard let raw = body.baseAddress, !body.isEmpty else { throw .empty }
        guard body.count < Int(UInt32.max) else {
            throw .malformed(offset: 0, line: nil, message: "body larger than 4 GiB")
        }
        var batch = Batch(decoder: self, base: raw.assumingMemoryBound(to: UInt8.self), count: body.count)
        switch format {
        case .json: try batch.readJSON()
        case .ndjson: try batch.readNDJSON()
        }
        if !batch.errors.isEmpty { throw .invalid(batch.errors) }
        if batch.eventCount == 0 { throw .empty }
        return batch.events
    }
}
