import Foundation

/// Restart recovery: a database with 1M recorded events, then `tokenwarden serve` on it, timed
/// from exec to the first `GET /-/ready` 200 (target: under 3 s).
///
/// The database is written in process by ``GenerateDatabaseCommand`` (WardenStore's writer, so
/// the persisted ledger is the real one). The normal restart reads that persisted ledger; it is
/// repeated and the median reported. The secondary number restarts with a different
/// `metric_labels` list, which invalidates the persisted ledger and forces a rebuild from the
/// whole usage log — what an operator pays once after changing the label configuration.
struct RecoveryBenchmark {
    let workspace: BenchWorkspace
    let wardenBinary: String
    let benchBinary: String
    let events: Int
    var restarts = 3
    var rebuildTimeout: Duration = .seconds(150)

    static let targetSeconds = 3.0

    func run(into table: inout ResultTable) {
        let eventsText = Format.count(events)
        let rules: String
        let relabeled: String
        let database: String
        do {
            rules = try workspace.rules("rules-recovery")
            relabeled = try workspace.rules("rules-recovery-relabeled", labelKeys: ["org", "team", "agent"])
            database = try workspace.database("recovery")
        } catch {
            table.failed("recovery with \(eventsText) events", error)
            return
        }
        defer { workspace.removeDatabase(database) }

        do {
            let (generated, _) = try ProbeChannel.run(
                GenerateDatabaseCommand.Result.self, benchBinary: benchBinary,
                arguments: ["generate-db", "--rules", rules, "--data", database, "--events", "\(events)"],
                logPath: workspace.path("generate-recovery.log"), timeout: .seconds(600))
            let rate = Double(generated.events) / generated.seconds
            table.add(.init(metric: "setup: \(eventsText) events via UsageWriter in-process", value: "\(Format.rate(rate)) ev/s",
                            baseline: "100000 ev/s (ingest target)", ratio: Format.ratio(rate / 100_000)))
            table.note("recovery database: \(generated.events) events, \(generated.seriesInLedger) series, "
                       + "\(Format.bytes(workspace.databaseSize(database))) on \(workspace.fileSystemType); written in "
                       + "\(Format.seconds(generated.seconds)) of which \(Format.seconds(generated.preparingSeconds)) building and pricing events")
            if generated.tenths.count == 10 {
                let tenth = Double(generated.events) / 10
                let first = tenth / generated.tenths[0]
                let last = tenth / (generated.tenths[9] - generated.tenths[8])
                table.note("writer rate as the usage log grows (random event ids): first tenth \(Format.rate(first)) ev/s, "
                           + "last tenth \(Format.rate(last)) ev/s (\(Format.ratio(last / first)))")
            }
        } catch {
            table.failed("recovery with \(eventsText) events", error)
            return
        }

        var times: [Double] = []
        var peak = 0
        do {
            for attempt in 1...restarts {
                let daemon = try DaemonProcess.warden(binary: wardenBinary, rules: rules, database: database,
                                                      logPath: workspace.path("recovery-\(attempt).log"))
                times.append(daemon.readySeconds)
                peak = max(peak, daemon.status?.peakResidentBytes ?? 0)
                if attempt == 1 { try verifyCounts(daemon) }
                daemon.stop()
            }
        } catch {
            table.failed("restart to ready, \(eventsText) events", error)
            return
        }
        let median = times.sorted()[times.count / 2]
        table.add(.init(metric: "restart to ready, \(eventsText) events", value: Format.seconds(median),
                        baseline: "3 s (target)", ratio: Format.ratio(median / Self.targetSeconds), target: "< 3 s",
                        verdict: median < Self.targetSeconds ? .pass : .miss))
        table.note("restarts: " + times.map(Format.seconds).joined(separator: ", ") + "; daemon peak RSS \(Format.bytes(peak))")

        let name = "restart with changed labels (rebuild), \(eventsText) events"
        do {
            let daemon = try DaemonProcess.warden(binary: wardenBinary, rules: relabeled, database: database,
                                                  logPath: workspace.path("recovery-relabeled.log"), readyTimeout: rebuildTimeout)
            let seconds = daemon.readySeconds
            let status = daemon.status
            try verifyCounts(daemon)
            daemon.stop()
            table.add(.init(metric: name, value: Format.seconds(seconds), baseline: "\(Format.seconds(median)) (normal restart)",
                            ratio: Format.ratio(seconds / median), target: "(secondary) < 3 s",
                            verdict: seconds < Self.targetSeconds ? .pass : .miss))
            if let status { table.note("rebuild: daemon peak RSS \(Format.bytes(status.peakResidentBytes))") }
        } catch {
            table.add(.init(metric: name, value: "not ready", target: "(secondary) < 3 s", verdict: .miss))
            table.note("\(name): \(error)")
        }
    }

    /// The restored ledger must count every generated event, or the timing means nothing.
    private func verifyCounts(_ daemon: DaemonProcess) throws {
        guard let response = LoopbackHTTP.get(port: daemon.port, path: "/metrics", timeoutSeconds: 60), response.status == 200 else {
            throw BenchError("GET /metrics failed after restart")
        }
        let counted = Int(ExpositionSum.sum("tokenwarden_requests_total", in: response.body))
        guard counted == events else {
            throw BenchError("restarted daemon counts \(counted) events, expected \(events)")
        }
    }
}
