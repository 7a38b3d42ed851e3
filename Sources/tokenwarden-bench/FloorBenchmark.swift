import Foundation

/// What the judged HTTP ratios allow at best on this machine, measured with the bare handler
/// itself: the same ``HTTPServer``, made to do only the one thing a ratio depends on.
///
/// - *Answering late*: the daemon acknowledges usage only after its group commit, so every
///   single-event request is parked (a libmicrohttpd suspend) and answered from another thread (a
///   resume). ``LateAnswers`` does that and nothing else; its rate against the bare handler's is
///   the ceiling of the single-event ingest ratio for any work at all behind the park.
/// - *Spending CPU*: a `/v1/check` costs the daemon a multiple of the bare request's CPU. The bare
///   handler burning a fixed amount of CPU per request (no locks, no allocation) shows what p99 a
///   server of that cost gets when wrk shares the two cores: the latency rows' floor.
///
/// Not judged: these rows explain the judged ones. Each variant runs right after a bare run.
struct FloorBenchmark {
    let workspace: BenchWorkspace
    let benchBinary: String
    let wrk: WrkRunner
    let duration: Int
    let warmup: Int
    /// Thread CPU per request for the spending-CPU variants.
    var burns = [15, 30]

    func run(into table: inout ResultTable) {
        do {
            let ingestScript = workspace.path("wrk-floor-b1.lua")
            try WrkScript(batchSize: 1, nonce: "floor-\(UInt32.random(in: 0...UInt32.max))").source
                .write(toFile: ingestScript, atomically: true, encoding: .utf8)
            let bare = try measure(options: [], script: ingestScript, name: "floor-bare-b1")
            let late = try measure(options: ["--answer-late"], script: ingestScript, name: "floor-late-b1")
            table.add(.init(metric: "floor: answer late, no work (ingest b1 body)", value: "\(Format.rate(late.rate)) req/s",
                            baseline: "\(Format.rate(bare.rate)) (bare)", ratio: Format.ratio(late.rate / bare.rate),
                            target: "ceiling of ingest b1's 0.50x", verdict: .info))
            table.note("floor late answer: server \(late.cpuText) against bare \(bare.cpuText); p99 \(late.p99Text) against \(bare.p99Text)")
        } catch {
            table.failed("floor: answer late", error)
        }
        let checkScript = workspace.path("wrk-floor-check.lua")
        let pacedScript = workspace.path("wrk-floor-check-paced.lua")
        do {
            try CheckBenchmark.script().write(toFile: checkScript, atomically: true, encoding: .utf8)
            try CheckBenchmark.script(pauseMilliseconds: CheckBenchmark.pauseMilliseconds)
                .write(toFile: pacedScript, atomically: true, encoding: .utf8)
        } catch {
            table.failed("floor: check scripts", error)
            return
        }
        for burn in burns {
            do {
                let bare = try measure(options: [], script: checkScript, name: "floor-bare-check-\(burn)")
                let spent = try measure(options: ["--burn-microseconds", "\(burn)"], script: checkScript, name: "floor-burn-\(burn)")
                let barePaced = try measure(options: [], script: pacedScript, name: "floor-bare-paced-\(burn)")
                let spentPaced = try measure(options: ["--burn-microseconds", "\(burn)"], script: pacedScript, name: "floor-burn-paced-\(burn)")
                let label = "floor: \(burn) us CPU per request (check body)"
                table.add(.init(metric: "\(label), p99 at saturation", value: spent.p99Text,
                                baseline: "\(bare.p99Text) (bare)", ratio: ratio(spent.p99, bare.p99),
                                target: "-", verdict: .info))
                table.add(.init(metric: "\(label), p99 paced", value: spentPaced.p99Text,
                                baseline: "\(barePaced.p99Text) (bare)", ratio: ratio(spentPaced.p99, barePaced.p99),
                                target: "-", verdict: .info))
                table.note("floor burn \(burn) us: saturation \(Format.rate(spent.rate)) req/s = \(Format.ratio(spent.rate / bare.rate)) of bare, "
                           + "server \(spent.cpuText) against \(bare.cpuText); paced \(Format.rate(spentPaced.rate)) against \(Format.rate(barePaced.rate)) req/s, "
                           + "server \(spentPaced.cpuText) against \(barePaced.cpuText)")
            } catch {
                table.failed("floor: \(burn) us CPU per request", error)
            }
        }
    }

    private struct Measured {
        var rate: Double
        var p99: Double?
        var cpuPerRequest: Double?

        var p99Text: String { p99.map(Format.seconds) ?? "?" }
        var cpuText: String { cpuPerRequest.map { String(format: "%.1f CPU-us/request", $0 * 1e6) } ?? "?" }
    }

    private func measure(options: [String], script: String, name: String) throws -> Measured {
        let server = try DaemonProcess.bare(benchBinary: benchBinary, logPath: workspace.path("\(name).log"), options: options)
        defer { server.stop() }
        let (result, cpu) = try wrk.measure(server, script: script, duration: duration, warmup: warmup, workspace: workspace, name: name)
        return Measured(rate: result.requestsPerSecond, p99: result.p99Seconds,
                        cpuPerRequest: result.requests > 0 ? cpu.map { $0 / Double(result.requests) } : nil)
    }

    private func ratio(_ value: Double?, _ baseline: Double?) -> String {
        guard let value, let baseline, baseline > 0 else { return "?" }
        return Format.ratio(value / baseline)
    }
}
