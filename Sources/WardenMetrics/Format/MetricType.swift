/// What a metric family measures; decides the `# TYPE` line and the sample-name suffixes.
public enum MetricType: Sendable, Hashable {
    /// Only goes up (resets on restart). Exposed as `name_total` in both formats.
    case counter
    case gauge
    /// Cumulative buckets `_bucket{le=...}`, `_sum` and `_count`; write it with
    /// ``ExpositionWriter/histogram(_:_:_:)``.
    case histogram
    /// Constant labels describing the target, value 1, name ending in `_info`. OpenMetrics has the
    /// type; Prometheus text 0.0.4 has not, so it is exposed there as a gauge (the convention the
    /// Prometheus client libraries follow).
    case info
    case unknown

    /// The `# TYPE` word in each format.
    func typeWord(in format: ExpositionFormat) -> StaticString {
        switch (self, format) {
        case (.counter, _): "counter"
        case (.gauge, _): "gauge"
        case (.histogram, _): "histogram"
        case (.info, .openMetrics): "info"
        case (.info, .prometheusText): "gauge"
        case (.unknown, .openMetrics): "unknown"
        case (.unknown, .prometheusText): "untyped"
        }
    }
}
