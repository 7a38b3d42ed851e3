import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport

/// A real Prometheus server (Debian package `prometheus`) as a child process on a free loopback
/// port, scraping one target every second and evaluating rule files every second.
final class PrometheusServer: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let logHandle: FileHandle
    let logPath: String

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// `scrapeSettings` are YAML lines added to the scrape job as they are (`scheme: https`,
    /// `tls_config`, `basic_auth`), indented to sit under `job_name`.
    init(directory: URL, target: String, ruleFiles: [String] = [], scrapeSettings: [String] = []) async throws {
        port = try FreePort.find()
        let config = directory.appendingPathComponent("prometheus.yml")
        let rules = ruleFiles.map { "  - \"\($0)\"" }.joined(separator: "\n")
        let settings = scrapeSettings.map { "\n    " + $0 }.joined()
        try """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
            \(rules.isEmpty ? "  []" : rules)
            scrape_configs:
              - job_name: tokenwarden\(settings)
                static_configs:
                  - targets: ["\(target)"]
            """.write(to: config, atomically: true, encoding: .utf8)
        logPath = directory.appendingPathComponent("prometheus.log").path
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.executableURL = URL(fileURLWithPath: try Tools.path(of: "prometheus"))
        process.arguments = [
            "--config.file=\(config.path)", "--web.listen-address=127.0.0.1:\(port)",
            "--storage.tsdb.path=\(directory.appendingPathComponent("tsdb").path)", "--log.level=warn",
        ]
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()
        try await waitUntilReady()
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    private func waitUntilReady() async throws {
        // Generous: a loaded 2-core CI machine starts Prometheus slowly.
        let ready: Bool? = try await poll(for: .seconds(90), every: .milliseconds(200)) {
            if !process.isRunning { throw TestFailure("prometheus exited with status \(process.terminationStatus):\n\(log)") }
            if case .success(200) = await HTTP.probe("\(baseURL)/-/ready") { return true }
            return nil
        }
        if ready == nil { throw TestFailure("prometheus did not become ready within 90 s:\n\(log)") }
    }

    /// One series of a query result: its labels and its non-NaN values.
    struct Series {
        var labels: [String: String]
        var values: [Double]
    }

    /// A query's answer: `error` is set when Prometheus refused the query (a syntax or type error).
    struct Answer {
        var error: String?
        var series: [Series]
        /// Whether any series has a value that is a number (NaN is what a panel shows as no data).
        var hasData: Bool { series.contains { !$0.values.isEmpty } }
    }

    func query(_ promql: String) async throws -> Answer {
        try await api("query", ["query": promql])
    }

    /// An instant query evaluated at `time` rather than now.
    func query(_ promql: String, at time: Date) async throws -> Answer {
        try await api("query", ["query": promql, "time": String(format: "%.3f", time.timeIntervalSince1970)])
    }

    func queryRange(_ promql: String, start: Date, end: Date, step: Int) async throws -> Answer {
        try await api("query_range", [
            "query": promql, "start": String(start.timeIntervalSince1970), "end": String(end.timeIntervalSince1970),
            "step": String(step),
        ])
    }

    /// `GET /api/v1/label/<label>/values?match[]=<selector>`: what Grafana's `label_values(selector, label)` asks.
    func labelValues(_ label: String, match selector: String) async throws -> [String] {
        let url = "\(baseURL)/api/v1/label/\(label)/values?match%5B%5D=\(Self.formEncode(selector))"
        let response = try await HTTP.get(url)
        let object = try response.jsonObject()
        guard object["status"] as? String == "success" else {
            throw TestFailure("label_values(\(selector), \(label)) failed: \(response.text)")
        }
        return object["data"] as? [String] ?? []
    }

    /// Polls `promql` until it has data (a number), or fails after `timeout` seconds.
    @discardableResult
    func waitForData(_ promql: String, timeout: TimeInterval = 90) async throws -> Answer {
        let answer: Answer? = try await poll(for: .seconds(timeout), every: .milliseconds(250)) {
            let last = try await query(promql)
            if let error = last.error { throw TestFailure("\(promql): \(error)") }
            return last.hasData ? last : nil
        }
        if let answer { return answer }
        throw TestFailure("Prometheus had no data for \(promql) within \(Int(timeout)) s:\n\(log)")
    }

    private func api(_ endpoint: String, _ form: [String: String]) async throws -> Answer {
        // POSTed as a form: PromQL's `+` would read as a space in a URL query string.
        let body = form.map { "\($0.key)=\(Self.formEncode($0.value))" }.joined(separator: "&")
        let response = try await HTTP.request(
            "POST", "\(baseURL)/api/v1/\(endpoint)", body: Data(body.utf8),
            headers: ["Content-Type": "application/x-www-form-urlencoded"], timeout: 30)
        let object = try response.jsonObject()
        if object["status"] as? String != "success" {
            return Answer(error: "\(object["errorType"] ?? "error"): \(object["error"] ?? response.text)", series: [])
        }
        let data = object["data"] as? [String: Any] ?? [:]
        var series: [Series] = []
        for item in data["result"] as? [[String: Any]] ?? [] {
            let labels = item["metric"] as? [String: String] ?? [:]
            var samples: [[Any]] = []
            if let value = item["value"] as? [Any] { samples = [value] }
            if let values = item["values"] as? [[Any]] { samples = values }
            let numbers = samples.compactMap { ($0.last as? String).flatMap(Double.init) }.filter { !$0.isNaN }
            series.append(Series(labels: labels, values: numbers))
        }
        if data["resultType"] as? String == "scalar", let value = data["result"] as? [Any],
           let number = (value.last as? String).flatMap(Double.init), !number.isNaN {
            series = [Series(labels: [:], values: [number])]
        }
        return Answer(error: nil, series: series)
    }

    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? logHandle.close()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
