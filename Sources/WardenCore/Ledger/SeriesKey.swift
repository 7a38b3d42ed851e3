/// The identity of one group of counters: provider, model and the attribution labels that are
/// exposed to Prometheus (in ``AttributionSchema/labelKeys`` order, `""` when absent).
///
/// Attribution keys that are not labels (`user`, `session`, …) are aggregated away here; they
/// stay in the SQLite usage log.
public struct SeriesKey: Sendable, Hashable {
    public var provider: String
    public var model: String
    public var labelValues: [String]

    public init(provider: String, model: String, labelValues: [String]) {
        self.provider = provider
        self.model = model
        self.labelValues = labelValues
    }

    /// The label value that stands in for label sets admitted after the series limit.
    public static let overflowValue = "__other__"

    public init(event: UsageEvent, labelKeys: [String]) {
        provider = event.provider
        model = event.model
        labelValues = labelKeys.map { event.attribution[$0] ?? "" }
    }

    /// The same provider and model with every attribution label replaced by `__other__`.
    public var overflowed: SeriesKey {
        SeriesKey(provider: provider, model: model, labelValues: labelValues.map { _ in SeriesKey.overflowValue })
    }

    /// The last-resort key when even per-model overflow series would exceed the limit.
    public static func fullyOverflowed(labelCount: Int) -> SeriesKey {
        SeriesKey(provider: overflowValue, model: overflowValue,
                  labelValues: Array(repeating: overflowValue, count: labelCount))
    }
}
