import ArgumentParser
import Foundation
import WardenCore
import WardenMetrics
import WardenServer

/// `tokenwarden-bench render-probe --series N`: builds a ledger of N series in this process and
/// times rendering it the way `GET /metrics` does, then reports the process's peak memory.
///
/// A process per N so that VmHWM is this ledger's and this render's alone. The render replays
/// `MetricsRoute.handle` step by step — ``LedgerExposition`` (the ledger families), the ingest
/// histogram, build info, `process_*` — because the route itself is internal to WardenServer;
/// only LedgerExposition had to be made public for this.
struct RenderProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render-probe",
        abstract: "Time /metrics rendering of an in-process ledger with N series (prints one JSON line).",
        shouldDisplay: false
    )

    @Option(help: "Series (distinct provider, model, org, team, project, agent) in the ledger.")
    var series: Int = 100_000

    @Option(help: "Warm renders after the first (cold) one.")
    var repeats: Int = 5

    struct Result: Codable {
        var series: Int
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
        var gzipSeconds: Double
        var gzipBytes: Int
        var residentAfterBuild: Int
        var status: ProcessStatus
    }

    func run() throws {
        let clock = ContinuousClock()
        let buildStart = clock.now
        let ledger = try Self.buildLedger(series: series)
        let buildSeconds = (clock.now - buildStart).seconds
        let residentAfterBuild = ProcessStatus.read()?.residentBytes ?? 0

        let route = MetricsRoute(version: "bench", ledger: LedgerExposition(ledger: LiveLedger(ledger)),
                                 ingestDuration: Histogram())
        var body: [UInt8] = []
        let coldStart = clock.now
        let coldCPUStart = ProcessStatus.threadCPUSeconds()
        body = route.render(format: .prometheusText)
        let coldCPUSeconds = ProcessStatus.threadCPUSeconds() - coldCPUStart
        let coldSeconds = (clock.now - coldStart).seconds
        var warm: [(wall: Double, cpu: Double)] = []
        for _ in 0..<max(1, repeats) {
            body = []  // release the previous scrape's buffer first, as the server does between scrapes
            let start = clock.now
            let cpuStart = ProcessStatus.threadCPUSeconds()
            body = route.render(format: .prometheusText)
            warm.append(((clock.now - start).seconds, ProcessStatus.threadCPUSeconds() - cpuStart))
        }
        let gzipStart = clock.now
        let compressed = Gzip.compress(body)
        let gzipSeconds = (clock.now - gzipStart).seconds
        warm.sort { $0.wall < $1.wall }
        let result = Result(
            series: series, samples: ExpositionSum.sampleCount(in: body), bytes: body.count, buildSeconds: buildSeconds,
            coldSeconds: coldSeconds, warmMedianSeconds: warm[warm.count / 2].wall, warmMinSeconds: warm[0].wall,
            warmCPUSeconds: warm[warm.count / 2].cpu, coldCPUSeconds: coldCPUSeconds,
            gzipSeconds: gzipSeconds, gzipBytes: compressed.count, residentAfterBuild: residentAfterBuild,
            status: ProcessStatus.read() ?? ProcessStatus(peakResidentBytes: 0, residentBytes: 0))
        try ProbeChannel.emit(result)
    }

    /// One priced event per series, planned and applied in chunks as the writer would.
    static func buildLedger(series: Int) throws -> Ledger {
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
            throw BenchError("expected \(series) series, the ledger has \(ledger.seriesCount)")
        }
        return ledger
    }
}
