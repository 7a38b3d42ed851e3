import Foundation

/// What API key authentication costs on the hot paths: single-event ingest and `/v1/check` sent
/// with `Authorization: Bearer <key>` to a server whose database holds a key (so authentication
/// applies), against the same requests without a header to a server without keys, in the same
/// run, on the same binary.
///
/// Judged, like ``VersusBenchmark``, on server CPU per request: both servers saturate the same
/// two cores shared with wrk, so throughput says little, while CPU-µs per request is what the
/// auth step adds (a header lookup, a key lookup by id, one SHA-256 of the secret, a role check).
/// The two alternate within each round (which goes first swaps every round), each round on fresh
/// daemons and databases; the verdict is on the median of the rounds' own ratios.
struct AuthBenchmark {
    let workspace: BenchWorkspace
    let wardenBinary: String
    let wrk: WrkRunner
    let duration: Int
    let warmup: Int
    let rounds: Int

    /// What authentication may add per request.
    static let tolerance = 1.10

    private enum Load: String, CaseIterable {
        case ingest = "single-event ingest"
        case check = "/v1/check 20b/5q/10p"
    }

    func run(into table: inout ResultTable) {
        for load in Load.allCases {
            let part = load == .ingest ? "ingest" : "check"
            ServerCostComparison(rounds: rounds, failure: "\(load.rawValue) with a bearer key", table: &table) { withKey, round in
                try measure(load, withKey: withKey, name: "auth-\(part)-\(withKey ? "key" : "open")-\(round)")
            }.report(into: &table, metric: "\(load.rawValue) with a bearer key", reference: "no auth", judgedAgainst: "no auth", tolerance: Self.tolerance,
                     note: "\(load.rawValue) with a bearer key against no auth, by round")
        }
    }

    private func measure(_ load: Load, withKey: Bool, name: String) throws -> ServerCostComparison.Sample {
        let database = try workspace.database(name)
        defer { workspace.removeDatabase(database) }
        let rules: String
        switch load {
        case .ingest:
            rules = try workspace.rules("rules-auth-ingest")
        case .check:
            rules = try workspace.rules("rules-auth-check")
            try CheckBenchmark.rulesYAML.write(toFile: (rules as NSString).appendingPathComponent("rules.yaml"),
                                               atomically: true, encoding: .utf8)
            // Every check reserves and none is committed: the one key's checks may hold as many
            // live reservations as the checks without a key (`reservations.max_active`).
            let settings = (rules as NSString).appendingPathComponent("tokenwarden.yaml")
            let text = try String(contentsOfFile: settings, encoding: .utf8)
            try (text + "reservations:\n  max_active_per_key: 1000000\n").write(toFile: settings, atomically: true, encoding: .utf8)
        }
        let authorization = try withKey ? "Bearer " + createKey(database: database, rules: rules, name: name) : nil
        let script = workspace.path("wrk-\(name).lua")
        switch load {
        case .ingest:
            try WrkScript(batchSize: 1, nonce: "\(name)-\(UInt32.random(in: 0...UInt32.max))", authorization: authorization).source
                .write(toFile: script, atomically: true, encoding: .utf8)
        case .check:
            try CheckBenchmark.script(authorization: authorization).write(toFile: script, atomically: true, encoding: .utf8)
        }
        let server = try DaemonProcess.warden(binary: wardenBinary, rules: rules, database: database, logPath: workspace.path("\(name).log"))
        defer { server.stop() }
        let (result, cpu) = try wrk.measure(server, script: script, duration: duration, warmup: warmup, workspace: workspace, name: name)
        guard let cpu, result.requests > 0 else { throw BenchError("\(name): no requests or no CPU reading") }
        guard result.non2xx == 0 else { throw BenchError("\(name): \(result.non2xx) answers were not 2xx") }
        return ServerCostComparison.Sample(cpuPerRequest: cpu / Double(result.requests), rate: result.requestsPerSecond)
    }

    /// `tokenwarden keys create` on the database before the server starts: the key it prints.
    private func createKey(database: String, rules: String, name: String) throws -> String {
        let child = try ChildProcess(executable: wardenBinary,
                                     arguments: ["keys", "create", "--name", "bench", "--role", "ingest,check", "--data", database,
                                                 "--rules", rules],
                                     logPath: workspace.path("\(name)-key.log"))
        guard child.wait(timeout: .seconds(60)).succeeded,
              let key = child.log.split(separator: "\n").first(where: { $0.hasPrefix("tw_") && $0.utf8.count == 55 }) else {
            throw BenchError("\(name): tokenwarden keys create failed:\n\(child.logTail())")
        }
        return String(key)
    }
}
