import WardenCore

/// Turns what the LiteLLM proxy's generic API callback posts — its standard logging payload as one
/// JSON object, a JSON array of them, or NDJSON — into usage events, or says exactly what is wrong.
///
/// Only the fields a price needs are read, so the many others LiteLLM adds from version to
/// version pass unnoticed; the fields read are checked as strictly as `POST /v1/usage` checks
/// its own, and errors name them by their dotted path in the payload. Decoding is
/// all-or-nothing: one bad record fails the body with every error of every record.
///
/// LiteLLM's token fields follow OpenAI's meaning whatever the provider: `prompt_tokens` counts
/// all input, cache reads and writes included (LiteLLM adds Anthropic's cache counts to it),
/// and `completion_tokens` counts reasoning tokens too — the meaning of TokenWarden's own
/// `input_tokens` and `output_tokens`, so they are taken as they are.
public struct LiteLLMPayloadDecoder: Sendable {
    public let attribution: AttributionMapping
    public let maxAttributionBytes: Int
    public let pseudonymisation: Pseudonymisation

    /// The fields read, so the parser keeps nothing of the others (``JSONFieldSelection``).
    let selection: JSONFieldSelection

    public init(settings: LiteLLMIntegrationSettings, maxAttributionBytes: Int = InputBounds.defaultMaxAttributionBytes,
                pseudonymisation: Pseudonymisation = .none) {
        attribution = settings.attribution
        self.maxAttributionBytes = maxAttributionBytes
        self.pseudonymisation = pseudonymisation
        selection = JSONFieldSelection(objectOrArrayOfObjects: (PayloadPath.read + settings.attribution.entries.map(PayloadPath.init)).map(\.components))
    }

    /// The prefix of every event id: `litellm:<id of the standard logging object>`.
    public static let idPrefix = "litellm:"

    public func decode(_ body: [UInt8]) throws(UsageDecodeError) -> [LiteLLMRecord] {
        let payloads = try Self.payloads(in: body, selection: selection)
        var records: [LiteLLMRecord] = []
        records.reserveCapacity(payloads.count)
        var errors: [UsageValidationError] = []
        for (index, payload) in payloads.enumerated() {
            var reader = LiteLLMRecordReader(payload: payload, index: index, decoder: self)
            let record = reader.read()
            errors += reader.errors
            if errors.count >= UsageEventDecoder.maxReportedErrors { break }
            if errors.isEmpty, let record { records.append(record) }
        }
        if !errors.isEmpty { throw .invalid(Array(errors.prefix(UsageEventDecoder.maxReportedErrors))) }
        return records
    }

    /// The payload objects of the body, whichever of the callback's three `log_format`s sent it
    /// (`single` and `json_array` as JSON, `ndjson` one object per line; all three with
    /// `Content-Type: application/json`, so the framing is read from the body itself).
    static func payloads(in body: [UInt8], selection: JSONFieldSelection) throws(UsageDecodeError) -> [JSONValue] {
        guard let first = body.firstIndex(where: { !isJSONWhitespace($0) }) else { throw .empty }
        let whole: JSONDocument
        do {
            whole = try JSONDocument(parsing: body, in: body.indices, selecting: selection)
        } catch {
            // Several values one after the other: NDJSON, unless its first line is broken too.
            guard body[first] == UInt8(ascii: "{"), error.message.hasPrefix("trailing characters") else {
                throw .malformed(offset: error.offset, line: nil, message: error.message)
            }
            return try lines(of: body, selection: selection)
        }
        switch whole.root.kind {
        case .object: return [whole.root]
        case .array:
            guard whole.root.count > 0 else { throw .empty }
            return whole.root.elements
        default:
            throw .malformed(offset: first, line: nil, message: "expected a payload object, an array of them, or NDJSON")
        }
    }

    private static func lines(of body: [UInt8], selection: JSONFieldSelection) throws(UsageDecodeError) -> [JSONValue] {
        var values: [JSONValue] = []
        var start = 0
        var line = 1
        while start < body.count {
            let end = body[start...].firstIndex(of: UInt8(ascii: "\n")) ?? body.count
            if body[start..<end].contains(where: { !isJSONWhitespace($0) }) {
                do {
                    values.append(try JSONDocument(parsing: body, in: start..<end, selecting: selection).root)
                } catch {
                    throw .malformed(offset: error.offset, line: line, message: error.message)
                }
            }
            start = end + 1
            line += 1
        }
        guard !values.isEmpty else { throw .empty }
        return values
    }
}

private func isJSONWhitespace(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
}

/// One standard logging payload, read.
public struct LiteLLMRecord: Sendable {
    public enum Kind: Sendable {
        /// A successful call, as the usage event it becomes.
        case usage(UsageEvent)
        /// Nothing to bill: a failed call, or an answer from LiteLLM's own response cache.
        case ignored(id: String, reason: String)
    }

    public var kind: Kind
    /// LiteLLM's own `response_cost`, as written: a float from LiteLLM's cost map, kept only to
    /// compare with TokenWarden's exact price, never as the amount.
    public var reportedCost: String?
}

/// Reads one payload object, collecting every problem.
struct LiteLLMRecordReader {
    let payload: JSONValue
    let index: Int
    let decoder: LiteLLMPayloadDecoder
    var errors: [UsageValidationError] = []

    init(payload: JSONValue, index: Int, decoder: LiteLLMPayloadDecoder) {
        self.payload = payload
        self.index = index
        self.decoder = decoder
    }

    mutating func read() -> LiteLLMRecord? {
        guard payload.kind == .object else {
            report("", "must be a JSON object (a LiteLLM standard logging payload)")
            return nil
        }
        let rawID = text(.id, required: true)
        let id = rawID.map { LiteLLMPayloadDecoder.idPrefix + $0 }
        if let id, let problem = InputBounds.textProblem(id) { report("id", problem) }
        let reportedCost = number(.responseCost)
        let status = text(.status, required: false)
        if let status, status != "success" {
            return id.map { LiteLLMRecord(kind: .ignored(id: $0, reason: "status \(status)"), reportedCost: reportedCost) }
        }
        if value(.cacheHit)?.bool == true {
            return id.map { LiteLLMRecord(kind: .ignored(id: $0, reason: "answered from LiteLLM's cache"), reportedCost: reportedCost) }
        }
        let provider = text(.provider, required: true).map(LiteLLMProviderName.tokenWardenName)
        let model = text(.model, required: true)
        let input = tokens(.promptTokens, required: true)
        let output = tokens(.completionTokens, required: true)
        var cacheRead: Int64 = 0, cacheCreation: Int64 = 0, reasoning: Int64 = 0
        if object(.usageObject) != nil {
            // Anthropic's counts come as LiteLLM's own fields; OpenAI's cached tokens as its detail.
            cacheRead = tokens(.cacheReadInputTokens)
                ?? tokens(.cachedTokens) ?? 0
            cacheCreation = tokens(.cacheCreationInputTokens)
                ?? tokens(.cacheCreationTokens) ?? 0
            reasoning = tokens(.reasoningTokens) ?? 0
        }
        if let input, cacheRead + cacheCreation > input {
            report("metadata.usage_object.prompt_tokens_details.cached_tokens",
                   "cache reads (\(cacheRead)) and writes (\(cacheCreation)) must not exceed prompt_tokens (\(input)), which counts them too")
        }
        if let output, reasoning > output {
            report("metadata.usage_object.completion_tokens_details.reasoning_tokens",
                   "reasoning tokens (\(reasoning)) must not exceed completion_tokens (\(output)), which counts them too")
        }
        let time = endTime()
        var labels = Attribution()
        var labelBytes = 0
        for entry in decoder.attribution.entries {
            guard let value = text(PayloadPath(entry), required: false) else { continue }
            labels[entry.label] = value
            labelBytes += entry.label.utf8.count + value.utf8.count
        }
        if labelBytes > decoder.maxAttributionBytes {
            report("attribution", InputBounds.attributionSizeProblem(labelBytes, limit: decoder.maxAttributionBytes))
        }
        guard errors.isEmpty, let id, let provider, let model, let input, let output else { return nil }
        decoder.pseudonymisation.apply(to: &labels)
        let event = UsageEvent(id: id, time: time, provider: provider, model: model,
                               tokens: TokenUsage(input: input, output: output, cacheRead: cacheRead,
                                                  cacheCreation: cacheCreation, reasoning: reasoning),
                               attribution: labels)
        return LiteLLMRecord(kind: .usage(event), reportedCost: reportedCost)
    }

    private mutating func report(_ field: String, _ message: String) {
        errors.append(UsageValidationError(index: index, field: field, message: message))
    }

    /// The value at a dotted path; `nil` when a step is missing or `null`. A step through
    /// something other than an object is reported.
    private mutating func value(_ path: PayloadPath) -> JSONValue? {
        var current = payload
        for (step, component) in path.components.enumerated() {
            guard current.kind == .object else {
                report(path.prefix(step), "must be an object")
                return nil
            }
            guard let next = current.member(utf8: component), !next.isNull else { return nil }
            current = next
        }
        return current
    }

    private mutating func object(_ path: PayloadPath) -> JSONValue? {
        guard let found = value(path) else { return nil }
        guard found.kind == .object else {
            report(path.text, "must be an object")
            return nil
        }
        return found
    }

    private mutating func text(_ path: PayloadPath, required: Bool) -> String? {
        guard let found = value(path) else {
            if required { report(path.text, "is required") }
            return nil
        }
        guard let string = found.string else {
            report(path.text, "must be a string")
            return nil
        }
        if let problem = InputBounds.textProblem(string) {
            report(path.text, problem)
            return nil
        }
        if required && string.isEmpty {
            report(path.text, "must not be empty")
            return nil
        }
        return string
    }

    private mutating func tokens(_ path: PayloadPath, required: Bool = false) -> Int64? {
        guard let found = value(path) else {
            if required { report(path.text, "is required") }
            return nil
        }
        guard let reading = found.integer else {
            report(path.text, InputBounds.TokenCountProblem.notANumber.description)
            return nil
        }
        switch InputBounds.tokenCount(reading) {
        case .success(let count): return count
        case .failure(let problem):
            report(path.text, problem.description)
            return nil
        }
    }

    private mutating func number(_ path: PayloadPath) -> String? {
        guard let found = value(path) else { return nil }
        guard let text = found.numberText else {
            report(path.text, "must be a number")
            return nil
        }
        return text
    }

    /// `endTime`, seconds since the epoch as a float; absent means the time of receipt.
    private mutating func endTime() -> Timestamp? {
        guard let text = number(.endTime) else { return nil }
        // A time, not money: a double's ~0.2 µs resolution at today's epoch is plenty.
        guard let seconds = Double(text), seconds.isFinite, (-9.2e9...9.2e9).contains(seconds) else {
            report("endTime", "must be seconds since 1970 between the years 1678 and 2261")
            return nil
        }
        return Timestamp(nanosecondsSinceEpoch: Int64((seconds * 1e9).rounded()))
    }
}

/// A dotted path into a payload, split into UTF-8 components once (field names repeat for every
/// payload of every request). Written as a string literal: `"metadata.usage_object"`.
struct PayloadPath: ExpressibleByStringLiteral {
    let text: String
    let components: [[UInt8]]

    init(stringLiteral text: String) {
        self.text = text
        components = text.split(separator: ".").map { Array($0.utf8) }
    }

    init(_ entry: AttributionMapping.Entry) {
        text = entry.path
        components = entry.componentBytes
    }

    // The fields read, split once.
    static let id: PayloadPath = "id"
    static let responseCost: PayloadPath = "response_cost"
    static let status: PayloadPath = "status"
    static let provider: PayloadPath = "custom_llm_provider"
    static let model: PayloadPath = "model"
    static let promptTokens: PayloadPath = "prompt_tokens"
    static let completionTokens: PayloadPath = "completion_tokens"
    static let usageObject: PayloadPath = "metadata.usage_object"
    static let cacheReadInputTokens: PayloadPath = "metadata.usage_object.cache_read_input_tokens"
    static let cachedTokens: PayloadPath = "metadata.usage_object.prompt_tokens_details.cached_tokens"
    static let cacheCreationInputTokens: PayloadPath = "metadata.usage_object.cache_creation_input_tokens"
    static let cacheCreationTokens: PayloadPath = "metadata.usage_object.prompt_tokens_details.cache_creation_tokens"
    static let reasoningTokens: PayloadPath = "metadata.usage_object.completion_tokens_details.reasoning_tokens"
    static let endTime: PayloadPath = "endTime"
    static let cacheHit: PayloadPath = "cache_hit"

    /// Every field above: what the parser keeps of a payload, besides the attribution paths.
    static let read: [PayloadPath] = [
        id, responseCost, status, provider, model, promptTokens, completionTokens, usageObject, cacheReadInputTokens,
        cachedTokens, cacheCreationInputTokens, cacheCreationTokens, reasoningTokens, endTime, cacheHit,
    ]

    /// The first `count` components, for a message about a step of the path.
    func prefix(_ count: Int) -> String {
        components.prefix(count).map { String(decoding: $0, as: UTF8.self) }.joined(separator: ".")
    }
}
