import WardenCore

/// Finds the LLM calls in an OTLP trace export: every span carrying GenAI usage attributes
/// becomes a usage event, the others are ignored, and a span whose usage cannot be read is
/// rejected with a message naming it (OTLP's partial success; the other spans still count).
///
/// Read per the OpenTelemetry GenAI semantic conventions, with the older names instrumentations
/// still emit as fallbacks (the first name of each list wins when both are present):
///
/// | usage | attributes |
/// |---|---|
/// | input | `gen_ai.usage.input_tokens`, `gen_ai.usage.prompt_tokens` |
/// | output | `gen_ai.usage.output_tokens`, `gen_ai.usage.completion_tokens` |
/// | cache read | `gen_ai.usage.cache_read.input_tokens`, `gen_ai.usage.cache_read_input_tokens` |
/// | cache write | `gen_ai.usage.cache_creation.input_tokens`, `gen_ai.usage.cache_creation_input_tokens` |
/// | reasoning | `gen_ai.usage.reasoning.output_tokens`, `gen_ai.usage.reasoning_tokens` |
/// | model | `gen_ai.response.model`, `gen_ai.request.model` |
/// | provider | `gen_ai.provider.name`, `gen_ai.system` (renamed by ``GenAIProviderName``) |
public struct GenAISpanReader: Sendable {
    public let settings: OTLPIntegrationSettings
    public let maxAttributionBytes: Int
    public let pseudonymisation: Pseudonymisation

    public init(settings: OTLPIntegrationSettings, maxAttributionBytes: Int = InputBounds.defaultMaxAttributionBytes,
                pseudonymisation: Pseudonymisation = .none) {
        self.settings = settings
        self.maxAttributionBytes = maxAttributionBytes
        self.pseudonymisation = pseudonymisation
    }

    /// The prefix of every event id: `otlp:<trace id>-<span id>`, both in lowercase hex.
    public static let idPrefix = "otlp:"

    public func read(_ export: OTLPTraceExport) -> GenAISpans {
        var result = GenAISpans()
        for resourceSpans in export.request.resourceSpans {
            let resource = resourceSpans.resource.attributes
            for scopeSpans in resourceSpans.scopeSpans {
                for span in scopeSpans.spans {
                    read(span, resource: resource, into: &result)
                }
            }
        }
        return result
    }

    private func read(_ span: Opentelemetry_Proto_Trace_V1_Span, resource: [Opentelemetry_Proto_Common_V1_KeyValue],
                      into result: inout GenAISpans) {
        var usage = UsageAttributes()
        for attribute in span.attributes { usage.take(attribute) }
        guard usage.hasUsage else {
            result.ignored += 1
            return
        }
        let traceHex = LowercaseHex.encode(span.traceID)
        let spanHex = LowercaseHex.encode(span.spanID)
        var problems: [String] = []
        if span.traceID.count != 16 || span.traceID.allSatisfy({ $0 == 0 }) {
            problems.append("traceId must be 16 bytes, not all zero")
        }
        if span.spanID.count != 8 || span.spanID.allSatisfy({ $0 == 0 }) {
            problems.append("spanId must be 8 bytes, not all zero")
        }
        if span.endTimeUnixNano == 0 || span.endTimeUnixNano > UInt64(Int64.max) {
            problems.append("endTimeUnixNano must be the span's end")
        }
        let model = usage.text(.model, problems: &problems)
        let rawProvider = usage.text(.provider, problems: &problems)
        if model == nil && problems.isEmpty { problems.append("gen_ai.response.model or gen_ai.request.model is required") }
        if rawProvider == nil && problems.isEmpty { problems.append("gen_ai.provider.name or gen_ai.system is required") }
        var input = usage.count(.input, problems: &problems) ?? 0
        let output = usage.count(.output, problems: &problems) ?? 0
        let cacheRead = usage.count(.cacheRead, problems: &problems) ?? 0
        let cacheCreation = usage.count(.cacheCreation, problems: &problems) ?? 0
        let reasoning = usage.count(.reasoning, problems: &problems) ?? 0
        let provider = rawProvider.map(GenAIProviderName.tokenWardenName)
        if let provider, !settings.inputIncludesCache(provider: provider) {
            input = min(InputBounds.maxTokenCount, input + cacheRead + cacheCreation)
        }
        if cacheRead + cacheCreation > input {
            problems.append("cache reads (\(cacheRead)) and writes (\(cacheCreation)) exceed the input tokens (\(input)), "
                            + "which count them too (see integrations.otlp.input_tokens_include_cache)")
        }
        if reasoning > output {
            problems.append("reasoning tokens (\(reasoning)) exceed the output tokens (\(output)), which count them too")
        }
        let labels = attribution(span: span.attributes, resource: resource, problems: &problems)
        guard problems.isEmpty, let model, let provider else {
            result.rejected.append("\(GenAISpans.describe(traceHex: traceHex, spanHex: spanHex, name: span.name)): \(problems.joined(separator: "; "))")
            return
        }
        result.events.append(UsageEvent(
            id: "\(Self.idPrefix)\(traceHex)-\(spanHex)",
            time: Timestamp(nanosecondsSinceEpoch: Int64(span.endTimeUnixNano)),
            provider: provider, model: model,
            tokens: TokenUsage(input: input, output: output, cacheRead: cacheRead, cacheCreation: cacheCreation, reasoning: reasoning),
            attribution: labels))
        result.spanNames.append(span.name)
    }

    private func attribution(span: [Opentelemetry_Proto_Common_V1_KeyValue], resource: [Opentelemetry_Proto_Common_V1_KeyValue],
                             problems: inout [String]) -> Attribution {
        var labels = Attribution()
        var bytes = 0
        for entry in settings.attribution.entries {
            let attributes = entry.components[0] == "resource" ? resource : span
            guard let found = attributes.first(where: { $0.key == entry.attributeKey }), let value = found.value.value else { continue }
            let text: String
            switch value {
            case .stringValue(let string): text = string
            case .intValue(let number): text = String(number)
            default:
                problems.append("\(entry.path) must be a string to be the \(entry.label) label")
                continue
            }
            if text.isEmpty { continue }
            if let problem = InputBounds.textProblem(text) {
                problems.append("\(entry.path) (the \(entry.label) label) \(problem)")
                continue
            }
            labels[entry.label] = text
            bytes += entry.label.utf8.count + text.utf8.count
        }
        if bytes > maxAttributionBytes {
            problems.append("attribution: " + InputBounds.attributionSizeProblem(bytes, limit: maxAttributionBytes))
        }
        pseudonymisation.apply(to: &labels)
        return labels
    }
}

/// What ``GenAISpanReader`` found in one export.
public struct GenAISpans: Sendable {
    /// One per span with usage, in the order of the request.
    public var events: [UsageEvent] = []
    /// The span name of each event, for messages about it (``describe(_:)``).
    public var spanNames: [String] = []
    /// Spans without GenAI usage.
    public var ignored = 0
    /// One message per rejected span, naming it and saying why.
    public var rejected: [String] = []

    public init() {}

    /// `span <trace id>-<span id> "<name>"`: event `index` as messages name it.
    public func describe(_ index: Int) -> String {
        let id = events[index].id
        return "span \(id.dropFirst(GenAISpanReader.idPrefix.count)) \"\(spanNames[index])\""
    }

    static func describe(traceHex: String, spanHex: String, name: String) -> String {
        "span \(traceHex)-\(spanHex) \"\(name)\""
    }
}

/// The GenAI attributes of one span, gathered in one pass over its attributes.
private struct UsageAttributes {
    enum Slot: Int, CaseIterable {
        case input, output, cacheRead, cacheCreation, reasoning, model, provider

        /// The attribute names, preferred first.
        var names: [String] {
            switch self {
            case .input: ["gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"]
            case .output: ["gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens"]
            case .cacheRead: ["gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens"]
            case .cacheCreation: ["gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_creation_input_tokens"]
            case .reasoning: ["gen_ai.usage.reasoning.output_tokens", "gen_ai.usage.reasoning_tokens"]
            case .model: ["gen_ai.response.model", "gen_ai.request.model"]
            case .provider: ["gen_ai.provider.name", "gen_ai.system"]
            }
        }
    }

    /// Per slot, the value found and the rank of its name (0 preferred).
    private var found: [(name: String, value: Opentelemetry_Proto_Common_V1_AnyValue, rank: Int)?] =
        Array(repeating: nil, count: Slot.allCases.count)

    private static let index: [String: (slot: Slot, rank: Int)] = {
        var index: [String: (slot: Slot, rank: Int)] = [:]
        for slot in Slot.allCases {
            for (rank, name) in slot.names.enumerated() { index[name] = (slot, rank) }
        }
        return index
    }()

    mutating func take(_ attribute: Opentelemetry_Proto_Common_V1_KeyValue) {
        guard attribute.key.hasPrefix("gen_ai."), let (slot, rank) = Self.index[attribute.key] else { return }
        if let current = found[slot.rawValue], current.rank <= rank { return }
        found[slot.rawValue] = (attribute.key, attribute.value, rank)
    }

    var hasUsage: Bool { found[Slot.input.rawValue] != nil || found[Slot.output.rawValue] != nil }

    /// A token count: an integer, or a double with no fraction (some SDKs record every number
    /// as a double).
    func count(_ slot: Slot, problems: inout [String]) -> Int64? {
        guard let (name, value, _) = found[slot.rawValue] else { return nil }
        let number: Int64?
        switch value.value {
        case .intValue(let integer): number = integer
        case .doubleValue(let double) where double.rounded() == double && abs(double) < 9e18: number = Int64(double)
        default: number = nil
        }
        guard let number else {
            problems.append("\(name) must be a whole number of tokens")
            return nil
        }
        guard number >= 0, number <= InputBounds.maxTokenCount else {
            problems.append("\(name) " + (number < 0 ? InputBounds.TokenCountProblem.negative : .tooLarge).description)
            return nil
        }
        return number
    }

    func text(_ slot: Slot, problems: inout [String]) -> String? {
        guard let (name, value, _) = found[slot.rawValue] else { return nil }
        guard case .stringValue(let text)? = value.value, !text.isEmpty else {
            problems.append("\(name) must be a non-empty string")
            return nil
        }
        if let problem = InputBounds.textProblem(text) {
            problems.append("\(name) \(problem)")
            return nil
        }
        return text
    }
}
