import Foundation
import TestSupport

/// A real Alertmanager (Debian package `prometheus-alertmanager`) on free loopback ports, with a
/// minimal configuration (one receiver that sends nothing) or a given one, and its own storage directory.
final class AlertmanagerServer: @unchecked Sendable {
    let process = Process()
    let port: Int
    let directory: URL
    private let logHandle: FileHandle

    var baseURL: String { "http://127.0.0.1:\(port)" }

    init(directory: URL, configuration: URL? = nil) async throws {
        self.directory = directory
        let binary = try Tools.path(of: "prometheus-alertmanager")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("data"), withIntermediateDirectories: true)
        let config = configuration ?? directory.appendingPathComponent("alertmanager.yml")
        if configuration == nil {
            try """
                route:
                  receiver: blackhole
                  group_wait: 1s
                receivers:
                  - name: blackhole
                """.write(to: config, atomically: true, encoding: .utf8)
        }
        port = try FreePort.find()
        let logPath = directory.appendingPathComponent("alertmanager.log").path
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--config.file=\(config.path)", "--storage.path=\(directory.appendingPathComponent("data").path)",
                             "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address="]
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()
        // Generous: CI runs every suite in parallel on 2 cores.
        var lastAnswer = "no answer yet"
        let ready: Bool? = try await poll(for: .seconds(90), every: .milliseconds(100)) { [process, baseURL] in
            if !process.isRunning { throw TestFailure("alertmanager exited: \(self.log)") }
            switch await HTTP.probe("\(baseURL)/-/ready") {
            case .success(200): return true
            case .success(let status): lastAnswer = "status \(status)"
            case .failure(let error): lastAnswer = "\(error)"
            }
            return nil
        }
        if ready == nil { throw TestFailure("alertmanager did not become ready within 90 s (last poll: \(lastAnswer)): \(log)") }
    }

    var log: String { (try? String(contentsOfFile: directory.appendingPathComponent("alertmanager.log").path, encoding: .utf8)) ?? "" }

    /// The alerts the API lists (active, silenced, inhibited or unprocessed; resolved ones are not listed).
    func alerts(named name: String) async throws -> [[String: Any]] {
        let response = try await HTTP.get("\(baseURL)/api/v2/alerts")
        guard response.status == 200, let alerts = try response.json() as? [[String: Any]] else {
            throw TestFailure("GET /api/v2/alerts: \(response.status) \(response.text)")
        }
        return alerts.filter { ($0["labels"] as? [String: String])?["alertname"] == name }
    }

    /// Every alert the API lists, with its `status` (`state`, `inhibitedBy`).
    func allAlerts() async throws -> [[String: Any]] {
        let response = try await HTTP.get("\(baseURL)/api/v2/alerts")
        guard response.status == 200, let alerts = try response.json() as? [[String: Any]] else {
            throw TestFailure("GET /api/v2/alerts: \(response.status) \(response.text)")
        }
        return alerts
    }

    /// The aggregation groups, each with its `receiver` and `alerts`: where the routing tree sent them.
    func groups() async throws -> [[String: Any]] {
        let response = try await HTTP.get("\(baseURL)/api/v2/alerts/groups")
        guard response.status == 200, let groups = try response.json() as? [[String: Any]] else {
            throw TestFailure("GET /api/v2/alerts/groups: \(response.status) \(response.text)")
        }
        return groups
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? logHandle.close()
    }

    deinit { if process.isRunning { process.terminate() } }
}
