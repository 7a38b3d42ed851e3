/// `/metrics` rendering in process at 1k, 10k and 100k series, each in its own probe process
/// (see ``RenderProbeCommand``), against the target of 100k series in under 150 ms and 200 MB.
///
/// The baseline is the target expressed per series — 150 ms / 100k = 1,500 ns/series — so the
/// smaller sizes show whether cost grows linearly; only the 100k row is judged.
struct RenderBenchmark {
    let workspace: BenchWorkspace
    let benchBinary: String
    let seriesCounts: [Int]

    static let targetSeconds = 0.150
    static let targetSeries = 100_000
    static let targetPeakBytes = 200 * 1_000_000
    static var targetNanosPerSeries: Double { targetSeconds / Double(targetSeries) * 1e9 }

    func run(into table: inout ResultTable) {
        for series in seriesCounts {
            let name = "render \(Format.count(series)) series in-process"
            do {
                let (result, _) = try ProbeChannel.run(
                    RenderProbeCommand.Result.self, benchBinary: benchBinary,
                    arguments: ["render-probe", "--series", "\(series)"], logPath: workspace.path("render-\(series).log"))
                report(result, name: name, into: &table)
            } catch {
                table.failed(name, error)
            }
        }
    }

    private func report(_ result: RenderProbeCommand.Result, name: String, into table: inout ResultTable) {
        let judged = result.series >= Self.targetSeries
        let baseline = "\(Int(Self.targetNanosPerSeries)) ns/series"
        for (label, seconds) in [("warm", result.warmMedianSeconds), ("cold, 1st scrape", result.coldSeconds)] {
            let nanosPerSeries = seconds / Double(result.series) * 1e9
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
        table.note("render \(Format.count(result.series)): \(result.samples) samples, \(Format.bytes(result.bytes)) of text "
                   + "(\(result.bytes / max(result.series, 1)) B/series); warm min \(Format.seconds(result.warmMinSeconds)); "
                   + "CPU time warm \(Format.seconds(result.warmCPUSeconds)), cold \(Format.seconds(result.coldCPUSeconds)); "
                   + "gzip of it \(Format.seconds(result.gzipSeconds)) -> \(Format.bytes(result.gzipBytes)); "
                   + "RSS after building the ledger \(Format.bytes(result.residentAfterBuild)), "
                   + "VmRSS at exit \(Format.bytes(result.status.residentBytes)); ledger built in \(Format.seconds(result.buildSeconds))")
    }
}
