import Foundation

/// This build against another build of TokenWarden (`--baseline-warden`, which `make bench` builds
/// from `BENCH_BASELINE` in a worktree of its own): what the server spends per single-event ingest
/// and per `/v1/check`, in the same run, on the same machine.
///
/// Judged on server CPU per request, not on throughput: at saturation both builds are bound by the
/// same two cores shared with wrk, and CPU-µs per request is the cost a change adds. The builds
/// alternate within each round (which goes first swaps every round), each round starts fresh
/// daemons on fresh databases, and the verdict is on the median of the rounds' own ratios.
struct VersusBenchmark {
    let workspace: BenchWorkspace
    let wardenBinary: String
    let baselineBinary: String
    let wrk: WrkRunner
    let duration: Int
    let warmup: Int
    let rounds: Int

    /// What the change may add per request before it counts as a cost.
    static let tolerance = 1.05

    private enum Load: String, CaseIterable {
        case ingest = "single-event ingest"
        case check = "/v1/check 20b/5q/10p"
    }

    func run(into table: inout ResultTable) {
        for load in Load.allCases {
            let part = load == .ingest ? "ingest" : "check"
            ServerCostComparison(rounds: rounds, failure: "\(load.rawValue) versus baseline", table: &table) { isCurrent, round in
                try measure(load, binary: isCurrent ? wardenBinary : baselineBinary,
                            name: "versus-\(part)-\(isCurrent ? "new" : "base")-\(round)")
            }.report(into: &table, metric: load.rawValue, reference: "baseline build", judgedAgainst: "baseline", tolerance: Self.tolerance,
                     note: "\(load.rawValue) versus the baseline build by round")
        }
        table.note("baseline build: \(baselineBinary)")
    }

    private func measure(_ load: Load, binary: String, name: String) throws -> ServerCostComparison.Sample {
        let database = try workspace.database(name)
        defer { workspace.removeDatabase(database) }
        let rules: String
        let script: String
        // The baseline may predate the `http:` section (and its per-client limit): it gets none.
        let isBaseline = binary != wardenBinary
        let suffix = isBaseline ? "-base" : ""
        switch load {
        case .ingest:
            rules = try workspace.rules("rules-versus-ingest" + suffix, httpSection: !isBaseline)
            script = workspace.path("wrk-\(name).lua")
            try WrkScript(batchSize: 1, nonce: "\(name)-\(UInt32.random(in: 0...UInt32.max))").source
                .write(toFile: script, atomically: true, encoding: .utf8)
        case .check:
            rules = try workspace.rules("rules-versus-check" + suffix, httpSection: !isBaseline)
            try CheckBenchmark.rulesYAML.write(toFile: (rules as NSString).appendingPathComponent("rules.yaml"),
                                               atomically: true, encoding: .utf8)
            script = workspace.path("wrk-versus-check.lua")
            try CheckBenchmark.script().write(toFile: script, atomically: true, encoding: .utf8)
        }
        let server = try DaemonProcess.warden(binary: binary, rules: rules, database: database, logPath: workspace.path("\(name).log"))
        defer { server.stop() }
        let (result, cpu) = try wrk.measure(server, script: script, duration: duration, warmup: warmup, workspace: workspace, name: name)
        guard let cpu, result.requests > 0 else { throw BenchError("\(name): no requests or no CPU reading") }
        guard result.non2xx == 0 else { throw BenchError("\(name): \(result.non2xx) answers were not 2xx") }
        return ServerCostComparison.Sample(cpuPerRequest: cpu / Double(result.requests), rate: result.requestsPerSecond)
    }
}
