import Foundation

/// The integration routes against `POST /v1/usage`, in batches of 100 records: OTLP protobuf
/// exports of 100 GenAI spans (`POST /v1/traces`) and JSON arrays of 100 LiteLLM standard logging
/// payloads (`POST /v1/integrations/litellm`), each on a fresh database, in rounds of usage, OTLP,
/// LiteLLM so each ratio compares neighbours in time. Durable events/s either way (each request
/// is answered after its group commit). Judged on the median of the rounds' ratios: at least
/// half the events/s of `/v1/usage`.
struct IntegrationBenchmark {
    let workspace: BenchWorkspace
    let wardenBinary: String
    let wrk: WrkRunner
    let duration: Int
    let warmup: Int
    let rounds: Int
    static let batch = 100

    enum Route: String, CaseIterable {
        case usage = "/v1/usage"
        case otlp = "/v1/traces"
        case litellm = "/v1/integrations/litellm"

        var label: String {
            switch self {
            case .usage: "usage b100"
            case .otlp: "otlp b100 spans"
            case .litellm: "litellm b100 payloads"
            }
        }
    }

    struct Measurement {
        var eventsPerSecond: Double
        var p99: Double?
        var serverCPUPerEvent: Double?
        var recorded: Int
        var acknowledged: Int
        var requestBytes: Int?
    }

    func run(into table: inout ResultTable) {
        var measured: [Route: [Measurement]] = [:]
        for round in 1...max(1, rounds) {
            for route in Route.allCases {
                do {
                    measured[route, default: []].append(try measure(route, round: round))
                } catch {
                    table.failed("integrations \(route.label) round \(round)", error)
                }
            }
        }
        let usageRates = measured[.usage]?.map(\.eventsPerSecond) ?? []
        let usageMedian = PairedRounds.median(of: usageRates)
        table.add(.init(metric: "integrations \(Route.usage.label)", value: usageMedian.map { "\(Format.rate($0)) ev/s" } ?? "?",
                        baseline: "(baseline, median of \(usageRates.count))", target: "-"))
        for route in [Route.otlp, .litellm] {
            let runs = measured[route] ?? []
            let ratios = PairedRounds(zip(runs, measured[.usage] ?? []).map { $0.eventsPerSecond / $1.eventsPerSecond })
            let rate = PairedRounds.median(of: runs.map(\.eventsPerSecond))
            table.add(.init(metric: "integrations \(route.label)", value: rate.map { "\(Format.rate($0)) ev/s" } ?? "?",
                            baseline: usageMedian.map { "\(Format.rate($0)) (usage b100)" } ?? "?",
                            ratio: ratios.median.map(Format.ratio) ?? "?", target: ">= 0.50x usage b100",
                            verdict: ratios.median.map { $0 >= 0.5 ? .pass : .miss } ?? .error))
            table.note("integrations \(route.label) by round: \(ratios.byRound) of usage b100 (\(ratios.passing { $0 >= 0.5 }) at >= 0.50x)")
        }
        for route in Route.allCases {
            for (index, run) in (measured[route] ?? []).enumerated() {
                var text = "integrations \(route.label) round \(index + 1): \(Format.rate(run.eventsPerSecond)) ev/s, p99 "
                    + (run.p99.map(Format.seconds) ?? "?")
                if let cpu = run.serverCPUPerEvent { text += String(format: ", server %.1f CPU-us/event", cpu * 1e6) }
                if let bytes = run.requestBytes { text += ", \(Format.bytes(bytes)) per request" }
                text += "; counted \(run.recorded) events for \(run.acknowledged) acknowledged"
                if run.recorded < run.acknowledged { text += " (FEWER THAN ACKNOWLEDGED)" }
                table.note(text)
            }
        }
    }

    private func measure(_ route: Route, round: Int) throws -> Measurement {
        let name = "integrations-\(route == .usage ? "usage" : route == .otlp ? "otlp" : "litellm")-\(round)"
        let rules = try workspace.rules("rules-integrations")
        let database = try workspace.database(name)
        defer { workspace.removeDatabase(database) }
        let server = try DaemonProcess.warden(binary: wardenBinary, rules: rules, database: database,
                                              logPath: workspace.path("\(name).log"))
        defer { server.stop() }
        let warmScript = warmup > 0 ? try script(route, nonce: "\(name)-warm") : nil
        var before = 0
        let (result, cpu) = try wrk.measure(server, script: try script(route, nonce: "\(name)-run"), warmScript: warmScript,
                                            duration: duration, warmup: warmup, workspace: workspace, name: name,
                                            beforeRun: { before = recorded(server) })
        let acknowledged = (result.requests - result.non2xx) * Self.batch
        if result.non2xx > 0 || result.socketErrors > 0 {
            throw BenchError("\(route.rawValue): \(result.non2xx) non-2xx answers, \(result.socketErrors) socket errors (see \(workspace.path("\(name).log")))")
        }
        return Measurement(eventsPerSecond: result.requestsPerSecond * Double(Self.batch), p99: result.p99Seconds,
                           serverCPUPerEvent: cpu.flatMap { acknowledged > 0 ? $0 / Double(acknowledged) : nil },
                           recorded: recorded(server) - before, acknowledged: acknowledged, requestBytes: requestBytes(route))
    }

    private func script(_ route: Route, nonce: String) throws -> String {
        let unique = "\(nonce)-\(UInt32.random(in: 0...UInt32.max))"
        let source: String
        switch route {
        case .usage: source = WrkScript(batchSize: Self.batch, nonce: unique).source
        case .otlp: source = try IntegrationWrkScripts.otlp(batch: Self.batch, nonce: (0..<8).map { _ in UInt8.random(in: 1...255) })
        case .litellm: source = try IntegrationWrkScripts.litellm(batch: Self.batch, nonce: unique)
        }
        let path = workspace.path("wrk-\(nonce).lua")
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Roughly what one request carries, for the notes.
    private func requestBytes(_ route: Route) -> Int? {
        switch route {
        case .usage: nil
        case .otlp: nil
        case .litellm: LiteLLMPayloadSample.json.utf8.count * Self.batch
        }
    }

    /// Events recorded, as the daemon exposes them.
    private func recorded(_ server: DaemonProcess) -> Int {
        guard let response = LoopbackHTTP.get(port: server.port, path: "/metrics"), response.status == 200 else { return 0 }
        return Int(ExpositionSum.sum("tokenwarden_requests_total", in: response.body))
    }
}
