import Synchronization

/// `tokenwarden_integration_records_total{source, result}`: what the LiteLLM webhook and the OTLP
/// receiver did with each record (a LiteLLM payload, an OTLP span) — `accepted` (recorded),
/// `duplicate` (its id was recorded before), `ignored` (nothing to bill: a failed call, a span
/// without GenAI usage), `rejected` (invalid, unpriced, or outside the key's scope) — every
/// series from zero.
public final class IntegrationRecordCounts: MetricsCollector, Sendable {
    public enum Source: Int, Sendable, CaseIterable {
        case litellm, otlp
        var label: String { self == .litellm ? "litellm" : "otlp" }
    }

    public enum Result: Int, Sendable, CaseIterable {
        case accepted, duplicate, ignored, rejected
        var label: String {
            switch self {
            case .accepted: "accepted"
            case .duplicate: "duplicate"
            case .ignored: "ignored"
            case .rejected: "rejected"
            }
        }
    }

    /// By source, then result. Counted once per request, so one lock is no contention.
    private let counts = Mutex([Int](repeating: 0, count: Source.allCases.count * Result.allCases.count))

    public init() {}

    public func count(_ source: Source, _ result: Result, _ records: Int = 1) {
        guard records > 0 else { return }
        counts.withLock { $0[source.rawValue * Result.allCases.count + result.rawValue] += records }
    }

    public func value(_ source: Source, _ result: Result) -> Int {
        counts.withLock { $0[source.rawValue * Result.allCases.count + result.rawValue] }
    }

    static let name = "tokenwarden_integration_records_total"

    public func write(into writer: inout ExpositionWriter) {
        writer.family(Self.name, type: .counter,
                      help: "Records received from integrations (LiteLLM payloads, OTLP spans), by source and result: accepted, duplicate, ignored, rejected.")
        for source in Source.allCases {
            for result in Result.allCases {
                writer.sample(Self.name, LabelPairs([("source", source.label), ("result", result.label)]), value(source, result))
            }
        }
    }
}
