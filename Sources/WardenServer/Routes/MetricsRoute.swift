import Synchronization
import WardenCore
import WardenMetrics

/// `GET /metrics`: Prometheus text 0.0.4 by default, OpenMetrics 1.0.0 when the `Accept`
/// header asks for it, gzip-compressed when `Accept-Encoding` allows.
public struct MetricsRoute: Sendable {
    let version: String
    let ledger: LedgerExposition
    let ingestDuration: Histogram
    /// Families contributed by later stages (the rule engine), rendered after the usage ones.
    let extraFamilies: @Sendable (inout ExpositionWriter) -> Void
    /// The previous scrape's size: the next buffer is reserved at once instead of regrowing
    /// (regrowth was ~40% of a 100k-series render).
    let lastSize = LastScrapeSize()

    final class LastScrapeSize: Sendable {
        let bytes = Atomic<Int>(64 * 1024)
    }

    /// Public so `make bench` times exactly what a scrape renders.
    public init(version: String, ledger: LedgerExposition, ingestDuration: Histogram,
                extraFamilies: @escaping @Sendable (inout ExpositionWriter) -> Void = { _ in }) {
        self.version = version
        self.ledger = ledger
        self.ingestDuration = ingestDuration
        self.extraFamilies = extraFamilies
    }

    func handle(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let format = ExpositionFormat.negotiate(accept: request.header("Accept"))
        var body = render(format: format)
        var headers: [(name: String, value: String)] = [
            (name: "Content-Type", value: format.contentType),
            (name: "Vary", value: "Accept, Accept-Encoding"),
        ]
        if Gzip.accepts(acceptEncoding: request.header("Accept-Encoding")) {
            // Level 1 above 1 MiB: on a 10 MB exposition it is ~2.7× faster than the default level
            // for ~35% more bytes, which keeps a 100k-series scrape well inside its time budget.
            body = Gzip.compress(body, level: body.count > 1 << 20 ? 1 : 6)
            headers.append((name: "Content-Encoding", value: "gzip"))
        }
        responder.send(HTTPResponse(status: 200, headers: headers, body: body))
    }

    /// One scrape's exposition, uncompressed.
    public func render(format: ExpositionFormat) -> [UInt8] {
        var writer = ExpositionWriter(format: format, reservingCapacity: lastSize.bytes.load(ordering: .relaxed) * 9 / 8)
        ledger.write(into: &writer, rejectionReasons: UsageIngestRoute.rejectionReasons)
        writer.family("tokenwarden_ingest_duration_seconds", type: .histogram,
                      help: "Time from receiving a POST /v1/usage body to answering it, including the durable commit.",
                      unit: "seconds")
        writer.histogram("tokenwarden_ingest_duration_seconds", .empty, ingestDuration.snapshot())
        extraFamilies(&writer)
        // A gauge, not an OpenMetrics `info`: promtool (2.42) rejects the info type, and the Go
        // client exposes its *_build_info the same way.
        writer.family("tokenwarden_build_info", type: .gauge, help: "TokenWarden build information; always 1.")
        writer.sample("tokenwarden_build_info", LabelPairs([("version", version)]), 1)
        ProcessMetrics.read().write(into: &writer)
        let body = writer.finish()
        lastSize.bytes.store(max(64 * 1024, body.count), ordering: .relaxed)
        return body
    }
}
