/// Reads a `POST /v1/check` body: a usage event's shape with estimates instead of counts.
///
/// ```json
/// {"provider": "openai", "model": "gpt-4o", "estimated_input_tokens": 1200, "max_output_tokens": 800,
///  "attribution": {"org": "acme", "team": "search", "user": "u1", "agent": "a1"}}
/// ```
/// `estimated_cost` (a decimal number or string, in `currency`, default USD) replaces the priced
/// estimate; `priority` (`low`, `normal`, `high`) picks the quota class. Strict like the usage
/// decoder: an unknown field or attribution key is an error naming it, and every error is reported.
public struct CheckRequestDecoder: Sendable {
    public let schema: AttributionSchema

    public init(schema: AttributionSchema) { self.schema = schema }

    /// A decoded check, before its estimate is priced.
    public struct Decoded: Sendable {
        public var request: CheckRequest
        /// True when the body carried `estimated_cost`: the server must not price the estimate.
        public var hasExplicitCost: Bool
    }

    public enum Failure: Error, Sendable {
        case malformed(JSONSyntaxError)
        /// `(field, message)` pairs, in body order.
        case invalid([(field: String, message: String)])
    }

    /// The accepted fields; a field's position is its bit in the decoder's set of fields seen.
    public static let fields = ["provider", "model", "estimated_input_tokens", "max_output_tokens", "estimated_cost",
                         "currency", "attribution", "priority", "id", "time"]
    static let allowedFieldList = fields.sorted().joined(separator: ", ")

    public func decode(_ body: [UInt8]) -> Result<Decoded, Failure> {
        let document: JSONDocument
        do { document = try JSONDocument(parsing: body) } catch { return .failure(.malformed(error)) }
        let root = document.root
        guard root.kind == .object else { return .failure(.invalid([("", "the body must be a JSON object")])) }
        var errors: [(field: String, message: String)] = []
        // Only known fields can repeat without an unknown-field error, so a bit per known field
        // finds the duplicates: a Set of keys cost a hash and an allocation per check.
        var seen: UInt16 = 0
        // Read once: every field below is looked up in it (the first of duplicates, as
        // `root[field]` would), instead of walking the document and decoding its keys per field.
        let members = root.members
        func member(_ field: String) -> JSONValue? { members.first(where: { $0.key == field })?.value }
        for (key, _) in members {
            guard let position = Self.fields.firstIndex(of: key) else {
                errors.append((key, "unknown field; allowed: \(Self.allowedFieldList)"))
                continue
            }
            let bit: UInt16 = 1 << position
            if seen & bit != 0 { errors.append((key, "duplicate field")) }
            seen |= bit
        }
        func text(_ field: String, required: Bool) -> String? {
            guard let value = member(field), !value.isNull else {
                if required { errors.append((field, "is required")) }
                return nil
            }
            guard let string = value.string, !string.isEmpty else {
                errors.append((field, "must be a non-empty string"))
                return nil
            }
            return string
        }
        func count(_ field: String) -> Int64 {
            guard let value = member(field), !value.isNull else { return 0 }
            guard let reading = value.integer else {
                errors.append((field, "must be a whole number of tokens"))
                return 0
            }
            switch reading {
            case .integer(let number) where number >= 0: return number
            case .integer: errors.append((field, "must not be negative"))
            case .notAnInteger: errors.append((field, "must be a whole number of tokens"))
            case .outOfRange: errors.append((field, "is out of range"))
            }
            return 0
        }
        let provider = text("provider", required: true)
        let model = text("model", required: true)
        let input = count("estimated_input_tokens")
        let output = count("max_output_tokens")
        var cost: Money?
        if let value = member("estimated_cost"), !value.isNull {
            let digits = value.numberText ?? value.string
            if let digits, let parsed = try? Money.parse(digits), parsed.money >= .zero {
                cost = parsed.money
            } else {
                errors.append(("estimated_cost", "must be a non-negative decimal amount such as 0.25 or \"0.25\""))
            }
        }
        var currency = "USD"
        if let code = text("currency", required: false) {
            if code.utf8.count == 3, code.utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) {
                currency = code
            } else {
                errors.append(("currency", "must be an ISO 4217 code such as USD"))
            }
        }
        var priority = QuotaPriority.normal
        if let name = text("priority", required: false) {
            switch name {
            case "low": priority = .low
            case "normal": priority = .normal
            case "high": priority = .high
            default: errors.append(("priority", "must be low, normal or high, not \"\(name)\""))
            }
        }
        var attribution = Attribution()
        if let value = member("attribution"), !value.isNull {
            if value.kind != .object {
                errors.append(("attribution", "must be an object of string labels"))
            } else {
                for (key, label) in value.members {
                    guard schema.allows(key) else {
                        errors.append(("attribution.\(key)", "unknown attribution key \"\(key)\"; allowed keys: \(schema.allowedKeys.joined(separator: ", "))"))
                        continue
                    }
                    guard let string = label.string else {
                        errors.append(("attribution.\(key)", "must be a string"))
                        continue
                    }
                    attribution[key] = string
                }
            }
        }
        if let value = member("id"), !value.isNull, value.string == nil { errors.append(("id", "must be a string")) }
        if let value = member("time"), !value.isNull, value.string == nil { errors.append(("time", "must be an RFC 3339 string")) }
        guard errors.isEmpty, let provider, let model else { return .failure(.invalid(errors)) }
        let request = CheckRequest(provider: provider, model: model, attribution: attribution, estimatedInputTokens: input,
                                   maxOutputTokens: output, estimatedCost: cost ?? .zero, currency: currency, priority: priority)
        return .success(Decoded(request: request, hasExplicitCost: cost != nil))
    }
}
