import Foundation

/// `GET /metrics` over loopback against the real daemon, restored from a database sized to N
/// exposed series (see ``ExposedSeries``; 100k label sets as an unjudged stress size): rendering
/// plus what libmicrohttpd adds (sending the body), and the daemon's own peak memory. Prometheus
/// scrapes with `Accept-Encoding: gzip`, so the compressed scrape is measured as well.
struct ScrapeBenchmark {
    let workspace: BenchWorkspace
    let wardenBinary: String
    let benchBinary: String
    let seriesCounts: [Int]
    let stressLabelSetCounts: [Int]
    /// Warm scrapes per size (median reported): more for the cheap sizes, where one hiccup of a
    /// shared machine would otherwise be the number.
    func warmScrapes(_ labelSets: Int) -> Int { labelSets >= 100_000 ? 3 : 7 }

    func run(into table: inout ResultTable) {
        let exposed: ExposedSeries
        do {
            exposed = try ExposedSeries.measure()
        } catch {
            table.failed("scrape: series per label set", error)
            return
        }
        let sizes = seriesCounts.map { (labelSets: exposed.labelSets(forSeries: $0), series: Optional($0)) }
            + stressLabelSetCounts.map { (labelSets: $0, series: Int?.none) }
        for size in sizes {
            let name = size.series.map { "/metrics over HTTP, \(Format.count($0)) series (\(size.labelSets) label sets)" }
                ?? "/metrics over HTTP, \(Format.count(size.labelSets)) label sets (stress, unjudged)"
            do {
                try measure(labelSets: size.labelSets, series: size.series, name: name, into: &table)
            } catch {
                table.failed(name, error)
            }
        }
    }

    private func measure(labelSets series: Int, series target: Int?, name: String, into table: inout ResultTable) throws {
        let rules = try workspace.rules("rules-scrape-\(series)", seriesLimit: max(series, 10_000))
        let database = try workspace.database("scrape-\(series)")
        defer { workspace.removeDatabase(database) }
        let (generated, _) = try ProbeChannel.run(
            GenerateDatabaseCommand.Result.self, benchBinary: benchBinary,
            arguments: ["generate-db", "--rules", rules, "--data", database, "--events", "\(series)",
                        "--series", "\(series)", "--id-prefix", "scrape"],
            logPath: workspace.path("generate-scrape-\(series).log"))
        let daemon = try DaemonProcess.warden(binary: wardenBinary, rules: rules, database: database,
                                              logPath: workspace.path("scrape-\(series).log"))
        defer { daemon.stop() }

        guard let cold = LoopbackHTTP.get(port: daemon.port, path: "/metrics", timeoutSeconds: 60), cold.status == 200 else {
            throw BenchError("GET /metrics failed:\n\(daemon.child.logTail())")
        }
        var warm: [Double] = []
        var body = cold.body
        let cpuBefore = daemon.cpuSeconds
        for _ in 0..<warmScrapes(series) {
            guard let response = LoopbackHTTP.get(port: daemon.port, path: "/metrics", timeoutSeconds: 60), response.status == 200 else {
                throw BenchError("GET /metrics failed")
            }
            warm.append(response.seconds)
            body = response.body
        }
        let cpuPerScrape = cpuBefore.flatMap { before in daemon.cpuSeconds.map { ($0 - before) / Double(warm.count) } }
        warm.sort()
        let gzip = LoopbackHTTP.get(port: daemon.port, path: "/metrics", headers: [("Accept-Encoding", "gzip")], timeoutSeconds: 60)
        let status = daemon.status

        let exposedSeries = ExpositionSum.sampleCount(in: body)
        if let target, exposedSeries < target {
            throw BenchError("\(series) label sets exposed only \(exposedSeries) series")
        }
        let judged = (target ?? 0) >= RenderBenchmark.targetSeries
        let median = warm[warm.count / 2]
        let nanosPerSeries = median / Double(exposedSeries) * 1e9
        table.add(.init(metric: "\(name) (daemon, warm)", value: "\(Format.seconds(median)) = \(Int(nanosPerSeries)) ns/series",
                        baseline: "\(Int(RenderBenchmark.targetNanosPerSeries)) ns/series",
                        ratio: Format.ratio(nanosPerSeries / RenderBenchmark.targetNanosPerSeries),
                        target: judged ? "< 150 ms" : "-",
                        verdict: judged ? (median < RenderBenchmark.targetSeconds ? .pass : .miss) : .info))
        if let gzip, gzip.status == 200 {
            table.add(.init(metric: "\(name) (daemon, gzip)", value: Format.seconds(gzip.seconds),
                            baseline: "\(Format.seconds(median)) (plain)", ratio: Format.ratio(gzip.seconds / median)))
        }
        if let status {
            table.add(.init(metric: "\(name) daemon peak RSS", value: Format.bytes(status.peakResidentBytes),
                            baseline: "200 MB", ratio: Format.ratio(Double(status.peakResidentBytes) / Double(RenderBenchmark.targetPeakBytes)),
                            target: judged ? "< 200 MB" : "-",
                            verdict: judged ? (status.peakResidentBytes < RenderBenchmark.targetPeakBytes ? .pass : .miss) : .info))
        }
        let labelSetsExposed = Int(ExpositionSum.sum("tokenwarden_metrics_series", in: body))
        table.note("scrape \(series) label sets: \(exposedSeries) series; first scrape \(Format.seconds(cold.seconds)), body \(Format.bytes(body.count))"
                   + (cpuPerScrape.map { ", daemon CPU \(Format.seconds($0)) per warm scrape" } ?? "")
                   + (gzip.map { ", gzip body \(Format.bytes($0.body.count))" } ?? "")
                   + "; daemon exposes \(labelSetsExposed) label sets (generator ledger: \(generated.seriesInLedger)); "
                   + "restored and ready in \(Format.seconds(daemon.readySeconds))")
    }
}
