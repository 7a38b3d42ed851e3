import WardenCore

/// The shape nearly every agent sends, read in one pass over the bytes:
///
/// ```json
/// {"provider":"openai","model":"gpt-4o","estimated_input_tokens":1200,"max_output_tokens":800,
///  "attribution":{"org":"acme","team":"search","user":"u1"}}
/// ```
///
/// Why: the general decoder builds a document of the body and then reads fields out of it, and
/// on `/v1/check` that was a tenth of the server's own work per check. This reader accepts only
/// what it can decide without doubt — those five fields and `approval_id` at most once each, plain strings (printable
/// ASCII, no escapes, within ``InputBounds``), plain non-negative integers up to the token cap,
/// attribution keys the schema allows, each once — and gives
/// up on anything else (another field, a duplicate, an escape, a null, a fraction, bad JSON),
/// leaving the body to the general decoder, which then gives the same answer or the full error
/// report. A body it accepts decodes to what the general decoder makes of it; a property test
/// holds the two to that.
extension CheckRequestDecoder {
    package func decodeCommonShape(_ body: [UInt8]) -> Decoded? {
        body.withUnsafeBufferPointer { bytes in
            var reader = CommonShapeReader(bytes: bytes)
            return reader.read(schema: schema, maxAttributionBytes: maxAttributionBytes)
        }
    }
}

struct CommonShapeReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func read(schema: AttributionSchema, maxAttributionBytes: Int) -> CheckRequestDecoder.Decoded? {
        var provider: String?, model: String?
        var input: Int64?, output: Int64?
        var attribution: Attribution?
        var approvalID: String?
        guard take(UInt8(ascii: "{")) else { return nil }
        if take(UInt8(ascii: "}")) { return nil }  // an empty object lacks provider and model
        repeat {
            guard let key = plainString() else { return nil }
            guard take(UInt8(ascii: ":")) else { return nil }
            switch CheckRequestDecoder.fieldPosition(key).flatMap(Field.init(rawValue:)) {
            case .provider:
                guard provider == nil, let value = plainString(), !value.isEmpty else { return nil }
                provider = String(decoding: value, as: UTF8.self)
            case .model:
                guard model == nil, let value = plainString(), !value.isEmpty else { return nil }
                model = String(decoding: value, as: UTF8.self)
            case .estimatedInputTokens:
                guard input == nil, let value = plainCount() else { return nil }
                input = value
            case .maxOutputTokens:
                guard output == nil, let value = plainCount() else { return nil }
                output = value
            case .attribution:
                guard attribution == nil, let value = labels(schema: schema, maxBytes: maxAttributionBytes) else { return nil }
                attribution = value
            case .approvalID:
                guard approvalID == nil, let value = plainString(), !value.isEmpty else { return nil }
                approvalID = String(decoding: value, as: UTF8.self)
            case nil:
                return nil
            }
        } while take(UInt8(ascii: ","))
        guard take(UInt8(ascii: "}")) else { return nil }
        skipWhitespace()
        guard position == bytes.count, let provider, let model else { return nil }
        let request = CheckRequest(provider: provider, model: model, attribution: attribution ?? Attribution(),
                                   estimatedInputTokens: input ?? 0, maxOutputTokens: output ?? 0)
        return CheckRequestDecoder.Decoded(request: request, hasExplicitCost: false, approvalID: approvalID)
    }

    /// The fields this reader takes, by their positions in ``CheckRequestDecoder/fields``; any
    /// other known field is left to the general decoder.
    enum Field: Int, CaseIterable {
        case provider = 0, model = 1, estimatedInputTokens = 2, maxOutputTokens = 3, attribution = 6, approvalID = 10
    }

    /// `{"label":"value",…}` with keys the schema allows and values within ``InputBounds``; a
    /// repeated key gives up (the general decoder reports it).
    mutating func labels(schema: AttributionSchema, maxBytes: Int) -> Attribution? {
        guard take(UInt8(ascii: "{")) else { return nil }
        var attribution = Attribution()
        if take(UInt8(ascii: "}")) { return attribution }
        var totalBytes = 0
        repeat {
            guard let key = plainString(), take(UInt8(ascii: ":")), let value = plainString(), !value.isEmpty else { return nil }
            let name = String(decoding: key, as: UTF8.self)
            guard schema.allows(name), attribution[name] == nil else { return nil }
            totalBytes += key.count + value.count
            guard totalBytes <= maxBytes else { return nil }
            attribution[name] = String(decoding: value, as: UTF8.self)
        } while take(UInt8(ascii: ","))
        guard take(UInt8(ascii: "}")) else { return nil }
        return attribution
    }

    /// A string of at most ``InputBounds/maxTextBytes`` printable ASCII bytes without escapes,
    /// after optional whitespace: its contents.
    mutating func plainString() -> UnsafeBufferPointer<UInt8>? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = position
        let end = min(bytes.count, start + InputBounds.maxTextBytes + 1)
        while position < end {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return UnsafeBufferPointer(rebasing: bytes[start..<(position - 1)])
            }
            guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { return nil }
            position += 1
        }
        return nil
    }

    /// `0` or a number of up to 13 digits, at most ``InputBounds/maxTokenCount``, without a
    /// leading zero, sign, fraction or exponent. The digits are counted before they are added up,
    /// so no value overflows.
    mutating func plainCount() -> Int64? {
        skipWhitespace()
        let start = position
        var value: Int64 = 0
        while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
            guard position - start < 13 else { return nil }
            value = value * 10 + Int64(bytes[position] - UInt8(ascii: "0"))
            position += 1
        }
        let digits = position - start
        guard digits > 0, digits == 1 || bytes[start] != UInt8(ascii: "0"), value <= InputBounds.maxTokenCount else { return nil }
        // What follows must end the number here: a fraction or exponent is left to the general decoder.
        if position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: ","), UInt8(ascii: "}"), 0x20, 0x09, 0x0A, 0x0D: break
            default: return nil
            }
        }
        return value
    }

    /// Skips whitespace and consumes `byte` if it comes next.
    mutating func take(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }
}
