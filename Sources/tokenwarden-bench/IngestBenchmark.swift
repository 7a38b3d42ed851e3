import Foundation

/// Ingest over HTTP: wrk posting unique events to `tokenwarden serve`, against the bare handler
/// on the same HTTPServer, in one run and interleaved (bare, then the daemon, per batch size) so
/// that the ratios compare neighbours in time on a machine whose load drifts.
///
/// A daemon request is acknowledged only after its group commit, so events/s here are durable
/// events/s. Each daemon measurement starts on a fresh database, warms up for a few seconds
/// (SQLite's page cache, the allocator and the ledger's series fill up), and is then
/// checked from outside: the `tokenwarden_requests_total` it exposes must have grown by at least
/// the events wrk saw acknowledged.
struct IngestBenchmark {
    let workspace: BenchWorkspace
    let wardenBinary: String
    let benchBinary: String
    let wrk: WrkRunner
    let duration: Int
    let warmup: Int
    /// Bare-then-daemon pairs for the judged single-event ratio (see ``PairedRounds``).
    let rounds: Int

    struct Measurement {
        var wrk: WrkRunner.Result
        var batch: Int
        /// Server CPU seconds per acknowledged event, from /proc (both cores' worth).
        var serverCPUPerEvent: Double?
        /// Events the daemon counted during the measured run (nil for the bare server).
        var recordedEvents: Int?
        /// Events the daemon took for duplicates during the run: must be 0, the script's ids are unique.
        var duplicateEvents: Int?

        var eventsPerSecond: Double { wrk.requestsPerSecond * Double(batch) }
        var acknowledgedEvents: Int { (wrk.requests - wrk.non2xx) * batch }
    }

    func run(into table: inout ResultTable) {
        var bare: [Int: Measurement] = [:]
        var normal: [Int: Measurement] = [:]
        for batch in [1, 100] {
            // Single events are the judged ratio: bare-then-daemon pairs, judged on the median
            // (see ``PairedRounds``). Batches of 100 are judged on an absolute rate.
            let count = batch == 1 ? max(1, rounds) : 1
            var pairs: [(bare: Measurement, normal: Measurement)] = []
            for number in 1...count {
                let suffix = count > 1 ? "-\(number)" : ""
                let measuredBare: Measurement
                do {
                    measuredBare = try measureBare(batch: batch, suffix: suffix)
                    if count > 1 { table.note("ingest b1 round \(number) of \(count): the bare handler, then the daemon") }
                    report(bare: measuredBare, into: &table, rows: count == 1)
                } catch {
                    table.failed("ingest b\(batch) bare handler", error)
                    continue
                }
                do {
                    let measured = try measureWarden(batch: batch, durability: "normal", suffix: suffix)
                    pairs.append((measuredBare, measured))
                    if count == 1 {
                        report(measured, durability: "normal", bare: measuredBare, normal: nil, into: &table)
                    } else {
                        note(measured, durability: "normal", bare: measuredBare, into: &table)
                    }
                } catch {
                    table.failed("ingest b\(batch) --durability normal", error)
                }
            }
            if count > 1 && !pairs.isEmpty { reportRounds(pairs, into: &table) }
            // The full-durability rows compare against the middle round's.
            if let middle = pairs.sorted(by: { $0.normal.eventsPerSecond < $1.normal.eventsPerSecond }).dropFirst(pairs.count / 2).first {
                bare[batch] = middle.bare
                normal[batch] = middle.normal
            }
        }
        for batch in [1, 100] {
            do {
                let full = try measureWarden(batch: batch, durability: "full", suffix: "")
                report(full, durability: "full", bare: bare[batch], normal: normal[batch], into: &table)
            } catch {
                table.failed("ingest b\(batch) --durability full", error)
            }
        }
    }

    /// The judged single-event rows from bare-then-daemon rounds: medians of each figure, and
    /// the ratios as the median of the rounds' own ratios.
    private func reportRounds(_ pairs: [(bare: Measurement, normal: Measurement)], into table: inout ResultTable) {
        let name = "ingest b1 --durability normal"
        let rates = PairedRounds(pairs.map { $0.normal.eventsPerSecond / $0.bare.eventsPerSecond })
        let latencies = PairedRounds(pairs.compactMap { pair in
            pair.normal.wrk.p99Seconds.flatMap { p99 in pair.bare.wrk.p99Seconds.map { p99 / $0 } }
        })
        let bareRate = PairedRounds.median(of: pairs.map(\.bare.eventsPerSecond)) ?? 0
        let rate = PairedRounds.median(of: pairs.map(\.normal.eventsPerSecond)) ?? 0
        table.add(.init(metric: "ingest b1 bare handler", value: "\(Format.rate(bareRate)) ev/s",
                        baseline: "(baseline, median of \(pairs.count))", target: "-"))
        table.add(.init(metric: name, value: "\(Format.rate(rate)) ev/s", baseline: "\(Format.rate(bareRate)) (bare)",
                        ratio: rates.median.map(Format.ratio) ?? "?", target: ">= 0.50x bare",
                        verdict: rates.median.map { $0 >= 0.5 ? .pass : .miss } ?? .error))
        if let median = latencies.median {
            let p99 = PairedRounds.median(of: pairs.compactMap(\.normal.wrk.p99Seconds)) ?? 0
            let bareP99 = PairedRounds.median(of: pairs.compactMap(\.bare.wrk.p99Seconds)) ?? 0
            table.add(.init(metric: "\(name) p99", value: Format.seconds(p99), baseline: "\(Format.seconds(bareP99)) (bare)",
                            ratio: Format.ratio(median), target: "<= 2.00x bare", verdict: median <= 2 ? .pass : .miss))
        }
        table.note("ingest b1 by round (\(pairs.count) rounds, verdicts on the medians): rate \(rates.byRound) of bare "
                   + "(\(rates.passing { $0 >= 0.5 }) at >= 0.50x); p99 \(latencies.byRound) (\(latencies.passing { $0 <= 2 }) within 2x)")
    }

    // MARK: measuring

    private func measureBare(batch: Int, suffix: String) throws -> Measurement {
        let name = "bare-b\(batch)\(suffix)"
        let server = try DaemonProcess.bare(benchBinary: benchBinary, logPath: workspace.path("\(name).log"))
        defer { server.stop() }
        return try load(server, batch: batch, name: name, countsEvents: false)
    }

    private func measureWarden(batch: Int, durability: String, suffix: String) throws -> Measurement {
        let name = "\(durability)-b\(batch)\(suffix)"
        let rules = try workspace.rules("rules-ingest")
        let database = try workspace.database(name)
        defer { workspace.removeDatabase(database) }
        let server = try DaemonProcess.warden(binary: wardenBinary, rules: rules, database: database,
                                              durability: durability, logPath: workspace.path("\(name).log"))
        defer { server.stop() }
        return try load(server, batch: batch, name: name, countsEvents: true)
    }

    private func load(_ server: DaemonProcess, batch: Int, name: String, countsEvents: Bool) throws -> Measurement {
        var countedBefore: (events: Int, duplicates: Int)?
        let warmScript = warmup > 0 ? try script(batch: batch, nonce: "\(name)-warm") : nil
        let (result, cpu) = try wrk.measure(server, script: try script(batch: batch, nonce: "\(name)-run"), warmScript: warmScript,
                                            duration: duration, warmup: warmup, workspace: workspace, name: name,
                                            beforeRun: { if countsEvents { countedBefore = counted(server) } })
        var measurement = Measurement(wrk: result, batch: batch)
        if let cpu, measurement.acknowledgedEvents > 0 {
            measurement.serverCPUPerEvent = cpu / Double(measurement.acknowledgedEvents)
        }
        if countsEvents, let before = countedBefore, let after = counted(server) {
            measurement.recordedEvents = after.events - before.events
            measurement.duplicateEvents = after.duplicates - before.duplicates
        }
        return measurement
    }

    private func script(batch: Int, nonce: String) throws -> String {
        let unique = "\(nonce)-\(UInt32.random(in: 0...UInt32.max))"
        let path = workspace.path("wrk-\(nonce).lua")
        try WrkScript(batchSize: batch, nonce: unique).source.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Events recorded and events refused as duplicates, as the daemon exposes them.
    private func counted(_ server: DaemonProcess) -> (events: Int, duplicates: Int)? {
        guard let response = LoopbackHTTP.get(port: server.port, path: "/metrics"), response.status == 200 else { return nil }
        return (Int(ExpositionSum.sum("tokenwarden_requests_total", in: response.body)),
                Int(ExpositionSum.sum("tokenwarden_usage_events_duplicate_total", in: response.body)))
    }

    // MARK: reporting

    private func report(bare: Measurement, into table: inout ResultTable, rows: Bool) {
        let b = bare.batch
        if rows {
            table.add(.init(metric: "ingest b\(b) bare handler", value: "\(Format.rate(bare.eventsPerSecond)) ev/s",
                            baseline: "(baseline)", target: "-"))
            table.add(.init(metric: "ingest b\(b) bare handler p99", value: bare.wrk.p99Seconds.map(Format.seconds) ?? "?",
                            baseline: "(baseline)"))
        }
        checkClean(bare, label: "bare b\(b)", into: &table)
        table.note("bare b\(b): \(Format.rate(bare.wrk.requestsPerSecond)) req/s, p50 \(bare.wrk.p50Seconds.map(Format.seconds) ?? "?")"
                   + cpuText(bare))
    }

    private func report(_ measured: Measurement, durability: String, bare: Measurement?, normal: Measurement?,
                        into table: inout ResultTable) {
        let b = measured.batch
        let name = "ingest b\(b) --durability \(durability)"
        let rate = measured.eventsPerSecond
        if let normal {
            // --durability full: compared with the default level, the question being what the fsync costs.
            table.add(.init(metric: name, value: "\(Format.rate(rate)) ev/s",
                            baseline: "\(Format.rate(normal.eventsPerSecond)) (normal)",
                            ratio: Format.ratio(rate / normal.eventsPerSecond),
                            target: b == 100 ? ">= 100000 ev/s" : "-",
                            verdict: b == 100 ? (rate >= 100_000 ? .pass : .miss) : .info))
        } else if b == 1 {
            let baseline = bare?.eventsPerSecond
            let ratio = baseline.map { rate / $0 }
            table.add(.init(metric: name, value: "\(Format.rate(rate)) ev/s",
                            baseline: baseline.map { "\(Format.rate($0)) (bare)" } ?? "?",
                            ratio: ratio.map(Format.ratio) ?? "?", target: ">= 0.50x bare",
                            verdict: ratio.map { $0 >= 0.5 ? .pass : .miss } ?? .error))
        } else {
            let baseline = bare?.eventsPerSecond
            table.add(.init(metric: name, value: "\(Format.rate(rate)) ev/s",
                            baseline: baseline.map { "\(Format.rate($0)) (bare)" } ?? "?",
                            ratio: baseline.map { Format.ratio(rate / $0) } ?? "?", target: ">= 100000 ev/s",
                            verdict: rate >= 100_000 ? .pass : .miss))
        }
        if let p99 = measured.wrk.p99Seconds {
            let bareP99 = bare?.wrk.p99Seconds
            let ratio = bareP99.map { p99 / $0 }
            let judged = b == 1 && durability == "normal"
            table.add(.init(metric: "\(name) p99", value: Format.seconds(p99),
                            baseline: bareP99.map { "\(Format.seconds($0)) (bare)" } ?? "?",
                            ratio: ratio.map(Format.ratio) ?? "?", target: judged ? "<= 2.00x bare" : "-",
                            verdict: judged ? (ratio.map { $0 <= 2 ? .pass : .miss } ?? .error) : .info))
        }
        note(measured, durability: durability, bare: bare, into: &table)
    }

    /// The daemon's measurement in words: rate, latency, CPU, and the acknowledged-events check.
    private func note(_ measured: Measurement, durability: String, bare: Measurement?, into table: inout ResultTable) {
        let b = measured.batch
        let rate = measured.eventsPerSecond
        checkClean(measured, label: "\(durability) b\(b)", into: &table)
        var text = "\(durability) b\(b): \(Format.rate(measured.wrk.requestsPerSecond)) req/s, p50 "
            + (measured.wrk.p50Seconds.map(Format.seconds) ?? "?") + cpuText(measured)
        if b == 100 { text += "; \(Format.ratio(rate / 100_000)) of the 100000 ev/s target" }
        if let bare, b == 1, durability == "normal" {
            text += "; \(Format.ratio(rate / bare.eventsPerSecond)) of bare"
            if let p99 = measured.wrk.p99Seconds, let bareP99 = bare.wrk.p99Seconds {
                text += ", p99 \(Format.seconds(p99)) = \(Format.ratio(p99 / bareP99))"
            }
        }
        if let recorded = measured.recordedEvents {
            text += "; counted \(recorded) events for \(measured.acknowledgedEvents) acknowledged"
            if recorded < measured.acknowledgedEvents { text += " (FEWER THAN ACKNOWLEDGED)" }
        }
        if let duplicates = measured.duplicateEvents, duplicates > 0 {
            text += "; \(duplicates) DUPLICATE ids (the script should send unique ids)"
        }
        table.note(text)
    }

    private func cpuText(_ measurement: Measurement) -> String {
        var text = ""
        if let perEvent = measurement.serverCPUPerEvent {
            text += "; server \(String(format: "%.1f", perEvent * 1e6)) CPU-us/event"
        }
        let seconds = measurement.wrk.seconds > 0 ? measurement.wrk.seconds : Double(duration)
        text += String(format: "; wrk used %.2f cores", measurement.wrk.wrkCPUSeconds / seconds)
        return text
    }

    private func checkClean(_ measurement: Measurement, label: String, into table: inout ResultTable) {
        if measurement.wrk.non2xx > 0 || measurement.wrk.socketErrors > 0 {
            table.note("\(label): \(measurement.wrk.non2xx) non-2xx responses, \(measurement.wrk.socketErrors) socket errors")
        }
    }
}
