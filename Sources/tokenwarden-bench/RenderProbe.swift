import ArgumentParser
import Foundation
import WardenCore
import WardenMetrics
import WardenHTTP
import WardenRuntime

/// `tokenwarden-bench render-probe --label-sets N`: builds a ledger of N label sets in this process
/// and times rendering it the way `GET /metrics` does, then reports the process's peak memory.
/// (Each label set is several exposed series; see ``ExposedSeries``.)
///
/// A process per N so that VmHWM is this ledger's and this render's alone. The render is the
/// route's own ``MetricsRoute/stream(format:gzip:)``, read to its end in 32 KiB reads as
/// libmicrohttpd does, without keeping the body (sample lines are counted on the way).
struct RenderProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render-probe",
        abstract: "Time /metrics rendering of an in-process ledger with N label sets (prints one JSON line).",
        shouldDisplay: false
    )

    @Option(help: "Label sets (distinct provider, model, org, team, project, agent) in the ledger.")
    var labelSets: Int = 100_000

    @Option(help: "Warm renders after the first (cold) one.")
    var repeats: Int = 5

    struct Result: Codable {
        var labelSets: Int
        /// Sample lines in the body: the exposed time series.
        var samples: Int
        var bytes: Int
        var buildSeconds: Double
        /// The first scrape also renders and caches every series' label bytes.
        var coldSeconds: Double
        var warmMedianSeconds: Double
        var warmMinSeconds: Double
        /// CPU time of the median warm render (thread CPU clock), for a load-independent view.
        var warmCPUSeconds: Double
        var coldCPUSeconds: Double
        /// A scrape with `Accept-Encoding: gzip`, at the level the route picks.
        var gzipSeconds: Double
        var gzipBytes: Int
        var residentAfterBuild: Int
        var status: ProcessStatus
    }

    func run() throws {
        let clock = ContinuousClock()
        let buildStart = clock.now
        let ledger = try Self.buildLedger(labelSets: labelSets)
        let buildSeconds = (clock.now - buildStart).seconds
        let residentAfterBuild = ProcessStatus.read()?.residentBytes ?? 0

        let route = MetricsRoute(version: "bench", ledger: LedgerExposition(ledger: LiveLedger(ledger)),
                                 ingestDuration: Histogram())
        // What a scrape does: the body streamed in libmicrohttpd-sized reads, never held whole.
        // Sample lines are counted only in a last, untimed pass: counting byte by byte costs more
        // than rendering.
        var reads = [UInt8](repeating: 0, count: 32 * 1024)
        func scrape(gzip: Bool, countSamples: Bool = false) -> (wall: Double, cpu: Double, bytes: Int, samples: Int) {
            let start = clock.now
            let cpuStart = ProcessStatus.threadCPUSeconds()
            let stream = route.stream(format: .prometheusText, gzip: gzip)
            var bytes = 0
            var samples = ExpositionSum.SampleLineCounter()
            while true {
                let count = reads.withUnsafeMutableBytes { stream.read(into: $0) }
                if count == 0 { break }
                bytes += count
                if countSamples { reads.withUnsafeBytes { samples.consume(UnsafeRawBufferPointer(rebasing: $0[..<count])) } }
            }
            return ((clock.now - start).seconds, ProcessStatus.threadCPUSeconds() - cpuStart, bytes, samples.count)
        }
        let cold = scrape(gzip: false)
        var warm: [(wall: Double, cpu: Double, bytes: Int, samples: Int)] = []
        for _ in 0..<max(1, repeats) { warm.append(scrape(gzip: false)) }
        let gzip = scrape(gzip: true)
        let counted = scrape(gzip: false, countSamples: true)
        warm.sort { $0.wall < $1.wall }
        let result = Result(
            labelSets: labelSets, samples: counted.samples, bytes: warm[0].bytes, buildSeconds: buildSeconds,
            coldSeconds: cold.wall, warmMedianSeconds: warm[warm.count / 2].wall, warmMinSeconds: warm[0].wall,
            warmCPUSeconds: warm[warm.count / 2].cpu, coldCPUSeconds: cold.cpu,
            gzipSeconds: gzip.wall, gzipBytes: gzip.bytes, residentAfterBuild: residentAfterBuild,
            status: ProcessStatus.read() ?? ProcessStatus(peakResidentBytes: 0, residentBytes: 0))
        try ProbeChannel.emit(result)
    }

    /// One priced event per label set, planned and applied in chunks as the writer would.
    static func buildLedger(labelSets series: Int) throws -> Ledger {
        let catalog = try BenchPricing.catalog()
        let pricer = UsagePricer(catalog: catalog, unknownModels: .reject)
        var ledger = Ledger(labelKeys: AttributionSchema.defaultLabelKeys, seriesLimit: max(series, 10_000))
        let now = Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))
        var start = 0
        while start < series {
            let end = min(start + 10_000, series)
            let events = (start..<end).map { index in
                SyntheticUsage.event(index, id: "render-\(index)", seriesIndex: index, time: now)
            }
            guard case .success(let priced) = pricer.price(events, receivedAt: now) else {
                throw BenchError("the benchmark's own pricing does not price its events")
            }
            ledger.apply(ledger.plan(priced))
            start = end
        }
        guard ledger.seriesCount == series else {
            throw BenchError("expected \(series) label sets, the ledger has \(ledger.seriesCount)")
        }
        return ledger
    }
}
