import Foundation

/// `/v1/check` (the check benchmark's rules and bodies) over HTTPS against the same over plain
/// HTTP, in one run: what libmicrohttpd's TLS (GnuTLS) costs per request. wrk keeps its
/// connections alive, so handshakes are amortised and the difference is record encryption.
///
/// Reported, not judged. Each round starts a fresh plain daemon and a fresh TLS daemon on fresh
/// databases and measures them one after the other (which goes first alternates), and the
/// ratios are the medians of the rounds' own ratios, as ``PairedRounds`` explains.
struct TLSBenchmark {
    let workspace: BenchWorkspace
    let wardenBinary: String
    let wrk: WrkRunner
    let duration: Int
    let warmup: Int
    let rounds: Int

    private struct Sample {
        var rate: Double
        var p99: Double?
        var cpuPerRequest: Double?
    }

    func run(into table: inout ResultTable) {
        let rules: String
        let webConfig: String
        let scriptPath = workspace.path("wrk-tls-check.lua")
        do {
            try CheckBenchmark.script().write(toFile: scriptPath, atomically: true, encoding: .utf8)
            rules = try workspace.rules("rules-tls")
            try CheckBenchmark.rulesYAML.write(toFile: (rules as NSString).appendingPathComponent("rules.yaml"), atomically: true, encoding: .utf8)
            webConfig = try makeWebConfig()
        } catch {
            table.failed("tls setup", error)
            return
        }
        var plain: [Sample] = []
        var tls: [Sample] = []
        var rateRatios: [Double] = []
        var cpuRatios: [Double] = []
        for round in 1...max(1, rounds) {
            do {
                var pair: (plain: Sample?, tls: Sample?) = (nil, nil)
                for overTLS in round.isMultiple(of: 2) ? [true, false] : [false, true] {
                    let sample = try measure(rules: rules, webConfig: overTLS ? webConfig : nil, name: "tls-\(overTLS ? "https" : "http")-\(round)")
                    if overTLS { pair.tls = sample } else { pair.plain = sample }
                }
                guard let plainSample = pair.plain, let tlsSample = pair.tls else { continue }
                plain.append(plainSample)
                tls.append(tlsSample)
                rateRatios.append(tlsSample.rate / plainSample.rate)
                if let over = tlsSample.cpuPerRequest, let base = plainSample.cpuPerRequest { cpuRatios.append(over / base) }
                table.note("tls round \(round): https \(Format.rate(tlsSample.rate)) checks/s p99 \(tlsSample.p99.map(Format.seconds) ?? "?"), "
                           + "http \(Format.rate(plainSample.rate)) checks/s p99 \(plainSample.p99.map(Format.seconds) ?? "?")"
                           + (tlsSample.cpuPerRequest.flatMap { over in plainSample.cpuPerRequest.map { base in
                               String(format: "; server %.1f against %.1f CPU-us/check", over * 1e6, base * 1e6) } } ?? ""))
            } catch {
                table.failed("tls round \(round)", error)
            }
        }
        guard !rateRatios.isEmpty else { return }
        let rates = PairedRounds(rateRatios)
        table.add(.init(metric: "/v1/check over HTTPS (keep-alive)", value: "\(Format.rate(PairedRounds.median(of: tls.map(\.rate)) ?? 0)) checks/s",
                        baseline: "\(Format.rate(PairedRounds.median(of: plain.map(\.rate)) ?? 0)) over HTTP",
                        ratio: rates.median.map(Format.ratio) ?? "?"))
        let cpu = PairedRounds(cpuRatios)
        if let median = cpu.median,
           let tlsCPU = PairedRounds.median(of: tls.compactMap(\.cpuPerRequest)),
           let plainCPU = PairedRounds.median(of: plain.compactMap(\.cpuPerRequest)) {
            table.add(.init(metric: "/v1/check over HTTPS: server CPU per check", value: String(format: "%.1f us", tlsCPU * 1e6),
                            baseline: String(format: "%.1f us over HTTP", plainCPU * 1e6), ratio: Format.ratio(median)))
        }
        table.note("tls by round: rate \(rates.byRound) of plain HTTP; server CPU per check \(cpu.byRound); "
                   + "wrk -t\(wrk.threads) -c\(wrk.connections) keep-alive, an ECDSA P-256 certificate, TLS 1.3")
    }

    private func measure(rules: String, webConfig: String?, name: String) throws -> Sample {
        let database = try workspace.database(name)
        defer { workspace.removeDatabase(database) }
        let server = try DaemonProcess.warden(binary: wardenBinary, rules: rules, database: database, logPath: workspace.path("\(name).log"),
                                              webConfig: webConfig, tls: webConfig != nil)
        defer { server.stop() }
        let (result, cpu) = try wrk.measure(server, script: workspace.path("wrk-tls-check.lua"), duration: duration, warmup: warmup,
                                            workspace: workspace, name: name)
        if result.non2xx > 0 || result.socketErrors > 0 {
            throw BenchError("\(name): \(result.non2xx) non-2xx responses, \(result.socketErrors) socket errors")
        }
        return Sample(rate: result.requestsPerSecond, p99: result.p99Seconds,
                      cpuPerRequest: cpu.flatMap { result.requests > 0 ? $0 / Double(result.requests) : nil })
    }

    /// A self-signed ECDSA P-256 certificate for 127.0.0.1 and the web configuration serving it.
    private func makeWebConfig() throws -> String {
        let certificate = workspace.path("tls-server.crt")
        let key = workspace.path("tls-server.key")
        let openssl = try ChildProcess(executable: try RunCommand.onPath("openssl"), arguments: [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", certificate,
            "-days", "2", "-subj", "/CN=tokenwarden-bench", "-addext", "subjectAltName=IP:127.0.0.1",
        ], logPath: workspace.path("openssl.log"))
        guard openssl.wait(timeout: .seconds(30)).succeeded else { throw BenchError("openssl failed:\n\(openssl.logTail())") }
        let webConfig = workspace.path("web.yml")
        try "tls_server_config:\n  cert_file: \(certificate)\n  key_file: \(key)\n".write(toFile: webConfig, atomically: true, encoding: .utf8)
        return webConfig
    }
}
