/// `/metrics` rendering in process at 1k, 10k and 100k exposed series, each in its own probe
/// process (see ``RenderProbeCommand``), against the target of 100k series in under 150 ms and 200 MB.
///
/// A series is what Prometheus calls one: a metric name plus a label set, one sample line of the
/// body. The ledger is sized by ``ExposedSeries`` to give at least that many lines, and the row is
/// judged on the lines the body really has. Ledgers of many *label sets* (100k label sets, ~7× as
/// many series) are run as well, as unjudged stress rows, so the cost at that scale stays visible.
///
/// The baseline is the target expressed per series — 150 ms / 100k = 1,500 ns/series — so the
/// smaller sizes show whether cost grows linearly; only the 100k-series row is judged.
struct RenderBenchmark {
    let workspace: BenchWorkspace
    let benchBinary: String
    let seriesCounts: [Int]
    let stressLabelSetCounts: [Int]

    static let targetSeconds = 0.150
    static let targetSeries = 100_000
    static let targetPeakBytes = 200 * 1_000_000
    static var targetNanosPerSeries: Double { targetSeconds / Double(targetSeries) * 1e9 }

    func run(into table: inout ResultTable) {
        let exposed: ExposedSeries
        do {
            exposed = try ExposedSeries.measure()
        } catch {
            table.failed("render: series per label set", error)
            return
        }
        table.note("render: each ledger label set exposes \(exposed.perLabelSet) series; the fixed families \(exposed.fixed)")
        let sizes = seriesCounts.map { (labelSets: exposed.labelSets(forSeries: $0), series: Optional($0)) }
            + stressLabelSetCounts.map { (labelSets: $0, series: Int?.none) }
        for size in sizes {
            let name = size.series.map { "render \(Format.count($0)) series (\(size.labelSets) label sets) in-process" }
                ?? "render \(Format.count(size.labelSets)) label sets (stress, unjudged) in-process"
            do {
                let (result, _) = try ProbeChannel.run(
                    RenderProbeCommand.Result.self, benchBinary: benchBinary,
                    arguments: ["render-probe", "--label-sets", "\(size.labelSets)"],
                    logPath: workspace.path("render-\(size.labelSets).log"))
                guard size.series.map({ result.samples >= $0 }) ?? true else {
                    throw BenchError("\(size.labelSets) label sets exposed only \(result.samples) series")
                }
                report(result, name: name, judged: (size.series ?? 0) >= Self.targetSeries, into: &table)
            } catch {
                table.failed(name, error)
            }
        }
    }

    private func report(_ result: RenderProbeCommand.Result, name: String, judged: Bool, into table: inout ResultTable) {
        let baseline = "\(Int(Self.targetNanosPerSeries)) ns/series"
        let series = result.samples
        for (label, seconds) in [("warm", result.warmMedianSeconds), ("cold, 1st scrape", result.coldSeconds)] {
            let nanosPerSeries = seconds / Double(series) * 1e9
            table.add(.init(
                metric: "\(name) (\(label))",
                value: "\(Format.seconds(seconds)) = \(Int(nanosPerSeries)) ns/series",
                baseline: baseline, ratio: Format.ratio(nanosPerSeries / Self.targetNanosPerSeries),
                target: judged ? "< 150 ms" : "-",
                verdict: judged ? (seconds < Self.targetSeconds ? .pass : .miss) : .info))
        }
        table.add(.init(
            metric: "\(name) peak RSS (VmHWM)", value: Format.bytes(result.status.peakResidentBytes),
            baseline: "200 MB", ratio: Format.ratio(Double(result.status.peakResidentBytes) / Double(Self.targetPeakBytes)),
            target: judged ? "< 200 MB" : "-",
            verdict: judged ? (result.status.peakResidentBytes < Self.targetPeakBytes ? .pass : .miss) : .info))
        table.note("render \(result.labelSets) label sets: \(series) series, \(Format.bytes(result.bytes)) of text "
                   + "(\(result.bytes / max(series, 1)) B/series); warm min \(Format.seconds(result.warmMinSeconds)); "
                   + "CPU time warm \(Format.seconds(result.warmCPUSeconds)), cold \(Format.seconds(result.coldCPUSeconds)); "
                   + "gzip scrape \(Format.seconds(result.gzipSeconds)) -> \(Format.bytes(result.gzipBytes)); "
                   + "RSS after building the ledger \(Format.bytes(result.residentAfterBuild)), "
                   + "VmRSS at exit \(Format.bytes(result.status.residentBytes)); ledger built in \(Format.seconds(result.buildSeconds))")
    }
}
