import WardenCore

/// Reads a `POST /v1/check` body: a usage event's shape with estimates instead of counts.
///
/// ```json
/// {"provider": "openai", "model": "gpt-4o", "estimated_input_tokens": 1200, "max_output_tokens": 800,
///  "attribution": {"org": "acme", "team": "search", "user": "u1", "agent": "a1"}}
/// ```
/// `estimated_cost` (a decimal number or string, in `currency`, default USD) replaces the priced
/// estimate; `priority` (`low`, `normal`, `high`) picks the quota class; `approval_id` names an
/// approval a retry uses (``ApprovalRecord``). The media fields of a usage event estimate a call
/// priced per unit: `images` with `image_size` and `image_quality`, `audio_input_seconds`,
/// `audio_output_seconds`, and `audio_input_tokens` / `audio_output_tokens` among the estimated
/// tokens. Strict like the usage
/// decoder: an unknown field or attribution key is an error naming it, and every error is reported.
public struct CheckRequestDecoder: Sendable {
    public let schema: AttributionSchema
    /// Most bytes the attribution's keys and values may take together (see ``InputBounds``).
    public let maxAttributionBytes: Int
    /// Labels whose values are replaced by pseudonyms in every decoded check.
    public let pseudonymisation: Pseudonymisation

    public init(schema: AttributionSchema, maxAttributionBytes: Int = InputBounds.defaultMaxAttributionBytes,
                pseudonymisation: Pseudonymisation = .none) {
        self.schema = schema
        self.maxAttributionBytes = maxAttributionBytes
        self.pseudonymisation = pseudonymisation
    }

    /// A decoded check, before its estimate is priced.
    public struct Decoded: Sendable {
        public var request: CheckRequest
        /// True when the body carried `estimated_cost`: the server must not price the estimate.
        public var hasExplicitCost: Bool
        /// `approval_id`: the approval a retry names to pass the `require_approval` policies it
        /// was given for.
        public var approvalID: String?

        public init(request: CheckRequest, hasExplicitCost: Bool, approvalID: String? = nil) {
            self.request = request
            self.hasExplicitCost = hasExplicitCost
            self.approvalID = approvalID
        }
    }

    public enum Failure: Error, Sendable {
        case malformed(JSONSyntaxError)
        /// `(field, message)` pairs, in body order.
        case invalid([(field: String, message: String)])
    }

    /// The accepted fields; a field's position is its bit in the decoder's set of fields seen.
    public static let fields = ["provider", "model", "estimated_input_tokens", "max_output_tokens", "estimated_cost",
                         "currency", "attribution", "priority", "id", "time", "approval_id",
                         "audio_input_tokens", "audio_output_tokens", "images", "image_size", "image_quality",
                         "audio_input_seconds", "audio_output_seconds"]
    static let allowedFieldList = fields.sorted().joined(separator: ", ")
    private static let fieldBytes = fields.map { Array($0.utf8) }

    /// The position in ``fields`` of the field named by `key`'s bytes, or nil.
    static func fieldPosition(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        for position in fieldBytes.indices where fieldBytes[position].count == key.count {
            let equal = fieldBytes[position].withUnsafeBufferPointer { name in
                for offset in 0..<key.count where name[offset] != key[offset] { return false }
                return true
            }
            if equal { return position }
        }
        return nil
    }

    public func decode(_ body: [UInt8]) -> Result<Decoded, Failure> {
        var result = decodeCommonShape(body).map { Result<Decoded, Failure>.success($0) } ?? decodeInGeneral(body)
        if pseudonymisation.isEnabled, case .success(var decoded) = result {
            pseudonymisation.apply(to: &decoded.request.attribution)
            result = .success(decoded)
        }
        return result
    }

    /// Any body: every field, every error (see ``decodeCommonShape(_:)`` for the usual one).
    package func decodeInGeneral(_ body: [UInt8]) -> Result<Decoded, Failure> {
        let document: JSONDocument
        do { document = try JSONDocument(parsing: body) } catch { return .failure(.malformed(error)) }
        let root = document.root
        guard root.kind == .object else { return .failure(.invalid([("", "the body must be a JSON object")])) }
        var errors: [(field: String, message: String)] = []
        // Each known field's value (the first of duplicates, as `root[field]` would), by its
        // position in ``fields``, found by comparing key bytes: decoding every key into a
        // `String` and looking fields up by name showed in `/v1/check` profiles. Only known
        // fields can repeat without an unknown-field error, so a bit per field finds duplicates.
        var positions = [Int](repeating: -1, count: Self.fields.count)
        var seen: UInt32 = 0
        root.forEachMemberPosition { key, value in
            guard let field = Self.fieldPosition(key) else {
                errors.append((String(decoding: key, as: UTF8.self), "unknown field; allowed: \(Self.allowedFieldList)"))
                return
            }
            let bit: UInt32 = 1 << field
            if seen & bit != 0 {
                errors.append((Self.fields[field], "duplicate field"))
            } else {
                positions[field] = value
            }
            seen |= bit
        }
        // Fields are few and their names fixed: the name's position is found once per lookup
        // among eighteen short strings, which is cheap beside decoding a key per member.
        func member(_ field: String) -> JSONValue? {
            guard let field = Self.fields.firstIndex(of: field), positions[field] >= 0 else { return nil }
            return JSONValue(document: document, index: positions[field])
        }
        func text(_ field: String, required: Bool) -> String? {
            guard let value = member(field), !value.isNull else {
                if required { errors.append((field, "is required")) }
                return nil
            }
            guard let string = value.string else {
                errors.append((field, "must be a string"))
                return nil
            }
            if let problem = InputBounds.textProblem(string) {
                errors.append((field, problem))
                return nil
            }
            return string
        }
        func count(_ field: String) -> Int64 {
            guard let value = member(field), !value.isNull else { return 0 }
            guard let reading = value.integer else {
                errors.append((field, InputBounds.TokenCountProblem.notANumber.description))
                return 0
            }
            switch InputBounds.tokenCount(reading) {
            case .success(let number): return number
            case .failure(let problem): errors.append((field, problem.description))
            }
            return 0
        }
        let provider = text("provider", required: true)
        let model = text("model", required: true)
        let input = count("estimated_input_tokens")
        let output = count("max_output_tokens")
        let audioInput = count("audio_input_tokens")
        let audioOutput = count("audio_output_tokens")
        if audioInput > input {
            errors.append(("audio_input_tokens", "audio_input_tokens (\(audioInput)) must not exceed estimated_input_tokens (\(input)), which counts audio tokens too"))
        }
        if audioOutput > output {
            errors.append(("audio_output_tokens", "audio_output_tokens (\(audioOutput)) must not exceed max_output_tokens (\(output)), which counts audio tokens too"))
        }
        var media = MediaUsage()
        if let value = member("images"), !value.isNull {
            switch value.integer.map(InputBounds.tokenCount) {
            case .success(let number)?: media.images = number
            case .failure(let problem)?: errors.append(("images", MediaUsage.imagesProblem(problem)))
            case nil: errors.append(("images", MediaUsage.imagesProblem(.notANumber)))
            }
        }
        media.imageSize = text("image_size", required: false)
        media.imageQuality = text("image_quality", required: false)
        func seconds(_ field: String) -> MediaSeconds {
            guard let value = member(field), !value.isNull else { return .zero }
            switch (value.numberText ?? value.string).map({ MediaSeconds.parse($0) }) ?? .failure(.notADecimal) {
            case .success(let parsed): return parsed
            case .failure(let problem): errors.append((field, problem.description))
            }
            return .zero
        }
        media.audioInputSeconds = seconds("audio_input_seconds")
        media.audioOutputSeconds = seconds("audio_output_seconds")
        var cost: Money?
        if let value = member("estimated_cost"), !value.isNull {
            let digits = value.numberText ?? value.string
            if let digits, let parsed = try? Money.parse(digits), parsed.money >= .zero, parsed.money <= InputBounds.maxEstimatedCost {
                cost = parsed.money
            } else {
                errors.append(("estimated_cost", "must be a decimal amount from 0 to \(InputBounds.maxEstimatedCost) such as 0.25 or \"0.25\""))
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
                var totalBytes = 0
                for (key, label) in value.members {
                    guard schema.allows(key) else {
                        errors.append(("attribution.\(key)", "unknown attribution key \"\(key)\"; allowed keys: \(schema.allowedKeys.joined(separator: ", "))"))
                        continue
                    }
                    guard attribution[key] == nil else {
                        errors.append(("attribution.\(key)", "duplicate key"))
                        continue
                    }
                    guard let string = label.string else {
                        errors.append(("attribution.\(key)", "must be a string"))
                        continue
                    }
                    if let problem = InputBounds.textProblem(string) {
                        errors.append(("attribution.\(key)", problem))
                        continue
                    }
                    totalBytes += key.utf8.count + string.utf8.count
                    attribution[key] = string
                }
                if totalBytes > maxAttributionBytes {
                    errors.append(("attribution", InputBounds.attributionSizeProblem(totalBytes, limit: maxAttributionBytes)))
                }
            }
        }
        if let value = member("id"), !value.isNull {
            if let id = value.string {
                if let problem = InputBounds.textProblem(id) { errors.append(("id", problem)) }
            } else {
                errors.append(("id", "must be a string"))
            }
        }
        if let value = member("time"), !value.isNull, value.string == nil { errors.append(("time", "must be an RFC 3339 string")) }
        let approvalID = text("approval_id", required: false)
        if let approvalID, approvalID.isEmpty { errors.append(("approval_id", "must not be empty")) }
        guard errors.isEmpty, let provider, let model else { return .failure(.invalid(errors)) }
        var request = CheckRequest(provider: provider, model: model, attribution: attribution, estimatedInputTokens: input,
                                   maxOutputTokens: output, estimatedCost: cost ?? .zero, currency: currency, priority: priority)
        request.audioInputTokens = audioInput
        request.audioOutputTokens = audioOutput
        request.media = media
        return .success(Decoded(request: request, hasExplicitCost: cost != nil, approvalID: approvalID))
    }
}
