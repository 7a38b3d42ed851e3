import WardenCore
import WardenMetrics
import WardenServer

/// What `MetricsRoute.handle` writes for a text-format scrape, in the same order, minus the HTTP
/// response: `MetricsRoute` is internal to WardenServer, its pieces are public. If the route
/// gains families, this must follow, or the in-process numbers flatter the server.
struct MetricsRouteReplica {
    let exposition: LedgerExposition
    let ingestDuration = Histogram(upperBounds: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5])
    /// `UsageIngestRoute.rejectionReasons` (internal to WardenServer).
    static let rejectionReasons = ["malformed", "invalid", "unknown_model", "unsupported_media_type", "too_large", "unavailable"]

    init(ledger: LiveLedger) { exposition = LedgerExposition(ledger: ledger) }

    func render() -> [UInt8] {
        var writer = ExpositionWriter(format: .prometheusText, reservingCapacity: 64 * 1024)
        exposition.write(into: &writer, rejectionReasons: Self.rejectionReasons)
        writer.family("tokenwarden_ingest_duration_seconds", type: .histogram,
                      help: "Time from receiving a POST /v1/usage body to answering it, including the durable commit.",
                      unit: "seconds")
        writer.histogram("tokenwarden_ingest_duration_seconds", .empty, ingestDuration.snapshot())
        writer.family("tokenwarden_build_info", type: .gauge, help: "TokenWarden build information; always 1.")
        writer.sample("tokenwarden_build_info", LabelPairs([("version", "bench")]), 1)
        ProcessMetrics.read().write(into: &writer)
        return writer.finish()
    }
}
