import Synchronization
import WardenCore
import WardenMetrics

/// `GET /metrics`: Prometheus text 0.0.4 by default, OpenMetrics 1.0.0 when the `Accept`
/// header asks for it, gzip-compressed when `Accept-Encoding` allows; streamed (chunked), so a
/// scrape never holds the whole body.
public struct MetricsRoute: Sendable {
    let version: String
    let ledger: LedgerExposition
    let ingestDuration: Histogram
    /// Every family besides the ledger's and the ingest histogram, rendered after them.
    let collectors: [any MetricsCollector]
    /// The previous scrape's uncompressed size: picks the gzip level, and sizes ``render(format:)``'s
    /// buffer at once instead of regrowing (regrowth was ~40% of a 100k-series render).
    let lastSize = LastScrapeSize()

    final class LastScrapeSize: Sendable {
        let bytes = Atomic<Int>(64 * 1024)
    }

    /// Public so `make bench` times exactly what a scrape renders.
    public init(version: String, ledger: LedgerExposition, ingestDuration: Histogram, collectors: [any MetricsCollector] = []) {
        self.version = version
        self.ledger = ledger
        self.ingestDuration = ingestDuration
        self.collectors = collectors
    }

    func handle(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let format = ExpositionFormat.negotiate(accept: request.header("Accept"))
        let gzip = Gzip.accepts(acceptEncoding: request.header("Accept-Encoding"))
        var headers: [(name: String, value: String)] = [
            (name: "Content-Type", value: format.contentType),
            (name: "Vary", value: "Accept, Accept-Encoding"),
        ]
        if gzip { headers.append((name: "Content-Encoding", value: "gzip")) }
        responder.send(HTTPResponse(status: 200, headers: headers, stream: stream(format: format, gzip: gzip)))
    }

    /// One scrape's exposition as it is sent: every value read now, the bulk rendered (and
    /// compressed) piece by piece as the client reads (see ``ExpositionStream``).
    public func stream(format: ExpositionFormat, gzip: Bool) -> any HTTPBodyStream {
        let snapshot = ledger.snapshot()
        var tail = ExpositionWriter(format: format, reservingCapacity: 16 * 1024)
        LedgerExposition.writeLedgerTotals(snapshot, rejectionReasons: UsageIngestRoute.rejectionReasons, into: &tail)
        tail.family("tokenwarden_ingest_duration_seconds", type: .histogram,
                    help: "Time from receiving a POST /v1/usage body to answering it, including the durable commit.",
                    unit: "seconds")
        tail.histogram("tokenwarden_ingest_duration_seconds", .empty, ingestDuration.snapshot())
        for collector in collectors { collector.write(into: &tail) }
        // A gauge, not an OpenMetrics `info`: promtool (2.42) rejects the info type, and the Go
        // client exposes its *_build_info the same way.
        tail.family("tokenwarden_build_info", type: .gauge, help: "TokenWarden build information; always 1.")
        tail.sample("tokenwarden_build_info", LabelPairs([("version", version)]), 1)
        ProcessMetrics.read().write(into: &tail)
        // Level 1 above 1 MiB: on a 10 MB exposition it is ~2.7× faster than the default level
        // for ~35% more bytes, which keeps a 100k-series scrape well inside its time budget.
        let gzipLevel: Int32? = gzip ? (lastSize.bytes.load(ordering: .relaxed) > 1 << 20 ? 1 : 6) : nil
        let lastSize = self.lastSize
        return ExpositionStream(format: format, snapshot: snapshot, tail: tail.finish(), gzipLevel: gzipLevel,
                                onFinish: { lastSize.bytes.store($0, ordering: .relaxed) })
    }

    /// One scrape's exposition, uncompressed, in one buffer (what ``stream(format:gzip:)`` sends).
    public func render(format: ExpositionFormat) -> [UInt8] {
        let body = stream(format: format, gzip: false)
        var result: [UInt8] = []
        result.reserveCapacity(lastSize.bytes.load(ordering: .relaxed) * 9 / 8)
        var chunk = [UInt8](repeating: 0, count: MicroHTTPDConnection.streamBlockSize)
        while true {
            let count = chunk.withUnsafeMutableBytes { body.read(into: $0) }
            if count == 0 { return result }
            result.append(contentsOf: chunk[..<count])
        }
    }
}
