/// Reports ``IngestStageProbeCommand``: per-event cost of each ingest stage on one core, so a
/// missed ingest target can be attributed (decode, pricing, or the SQLite group commit).
struct StageBreakdown {
    let workspace: BenchWorkspace
    let benchBinary: String
    var events = 100_000

    static func micros(_ seconds: Double) -> String { String(format: "%.2f", seconds * 1e6) }

    func run(into table: inout ResultTable) {
        let database: String
        do {
            database = try workspace.database("stages")
        } catch {
            table.failed("ingest stages in-process", error)
            return
        }
        defer { workspace.removeDatabase(database) }
        do {
            let (result, _) = try ProbeChannel.run(
                IngestStageProbeCommand.Result.self, benchBinary: benchBinary,
                arguments: ["ingest-stage-probe", "--data", database, "--events", "\(events)"],
                logPath: workspace.path("stages.log"))
            for stage in result.stages {
                let count = Double(stage.events)
                let total = stage.decodeSeconds + stage.priceSeconds + stage.commitSeconds
                let totalCPU = stage.decodeCPUSeconds + stage.priceCPUSeconds + stage.commitCPUSeconds
                for (label, seconds, cpu) in [("decode", stage.decodeSeconds, stage.decodeCPUSeconds),
                                              ("price", stage.priceSeconds, stage.priceCPUSeconds),
                                              ("group commit", stage.commitSeconds, stage.commitCPUSeconds)] {
                    table.add(.init(metric: "stage b\(stage.batch) \(label) (in-process)",
                                    value: "\(Format.rate(count / seconds)) ev/s, \(Self.micros(cpu / count)) CPU-us/ev",
                                    baseline: "\(Self.micros(totalCPU / count)) CPU-us/ev (all)",
                                    ratio: Format.percent(cpu / totalCPU)))
                }
                table.note("stage b\(stage.batch): \(stage.events) events, \(stage.bodyBytes / max(stage.events, 1)) body bytes/event; "
                           + "wall \(Self.micros(total / count)) us/ev, so stages in series allow \(Format.rate(count / total)) ev/s; "
                           + "the commit wrote \(stage.commitBytesWritten / max(stage.events, 1)) bytes/event to SQLite files")
            }
        } catch {
            table.failed("ingest stages in-process", error)
        }
    }
}
