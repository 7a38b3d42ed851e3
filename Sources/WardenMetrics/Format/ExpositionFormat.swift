import WardenFormats
/// The two text formats a scrape can ask for.
public enum ExpositionFormat: Sendable, Hashable {
    /// Prometheus text format 0.0.4: what every scraper understands, and the default.
    case prometheusText
    /// OpenMetrics 1.0.0: typed `info`, `# UNIT`, `# EOF`; served only when the scraper asks for it.
    case openMetrics

    /// The `Content-Type` of a response in this format.
    public var contentType: String {
        switch self {
        case .prometheusText: "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }

    /// Picks the format for a scrape from its `Accept` header.
    ///
    /// The highest `q` wins; on equal `q` an exact media type beats a wildcard, then the earlier
    /// entry wins (the order Prometheus's own negotiation uses). `q=0` means "not acceptable".
    ///
    /// - OpenMetrics only when asked for by name: `application/openmetrics-text` with no version or
    ///   a 1.x version. Version 0.0.1 (an older draft Prometheus also lists) is not what we write.
    /// - Text for `text/plain` (no version, 0.0.4, or 1.0.0 — the latter is the same text for the
    ///   legacy names this exporter uses), `text/*` and `*/*`.
    /// - Everything else (a missing header, `application/json`, a malformed header) gets text:
    ///   a scraper that cannot read it would not understand a 406 either.
    ///
    /// Prometheus 2.x sends
    /// `application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1`,
    /// which yields ``openMetrics``.
    public static func negotiate(accept: String?) -> ExpositionFormat {
        guard let accept else { return .prometheusText }
        var best: (format: ExpositionFormat, quality: Double, exact: Bool, position: Int)?
        for element in HTTPQualityListElement.parse(accept) where element.quality > 0 {
            guard let (format, exact) = match(element) else { continue }
            let candidate = (format: format, quality: element.quality, exact: exact, position: element.position)
            if let current = best {
                let better = candidate.quality > current.quality
                    || (candidate.quality == current.quality && candidate.exact && !current.exact)
                if !better { continue }
            }
            best = candidate
        }
        return best?.format ?? .prometheusText
    }

    private static func match(_ element: HTTPQualityListElement) -> (ExpositionFormat, exact: Bool)? {
        let version = element.parameters["version"]
        switch element.value {
        case "application/openmetrics-text":
            guard version == nil || version!.hasPrefix("1.") else { return nil }
            return (.openMetrics, true)
        case "text/plain":
            guard version == nil || version == "0.0.4" || version == "1.0.0" else { return nil }
            return (.prometheusText, true)
        case "text/*", "*/*":
            return (.prometheusText, false)
        default:
            return nil
        }
    }
}
