import Foundation

/// Runs `wrk --latency -s script.lua` and reads its summary.
///
/// wrk is started as a child so that its CPU time is known: on two shared cores every cycle wrk
/// spends building bodies is a cycle the server does not get, which is worth seeing next to a
/// throughput number.
struct WrkRunner {
    var executable: String
    var threads = 2
    var connections = 64
    var timeoutSeconds = 10

    struct Result {
        var requestsPerSecond: Double
        var requests: Int
        var seconds: Double
        var p50Seconds: Double?
        var p99Seconds: Double?
        var non2xx: Int
        var socketErrors: Int
        var wrkCPUSeconds: Double
        var output: String
    }

    /// A measured run against `server` and the CPU the server spent in it: first a warm-up of
    /// `warmup` seconds with `warmScript` (none for 0), then `beforeRun` (a reading to compare
    /// with one taken after), then `duration` seconds with `script`. Logs go to
    /// `wrk-<name>-warm.log` and `wrk-<name>.log` in `workspace`.
    func measure(_ server: DaemonProcess, script: String, warmScript: String? = nil, duration: Int, warmup: Int,
                 workspace: BenchWorkspace, name: String,
                 beforeRun: () -> Void = {}) throws -> (result: Result, serverCPUSeconds: Double?) {
        if warmup > 0 {
            _ = try run(url: server.url, script: warmScript ?? script, duration: warmup, logPath: workspace.path("wrk-\(name)-warm.log"))
        }
        beforeRun()
        let before = server.cpuSeconds
        let result = try run(url: server.url, script: script, duration: duration, logPath: workspace.path("wrk-\(name).log"))
        guard let before, let after = server.cpuSeconds else { return (result, nil) }
        return (result, after - before)
    }

    func run(url: String, script: String, duration: Int, logPath: String) throws -> Result {
        let arguments = ["-t\(threads)", "-c\(connections)", "-d\(duration)s", "--timeout", "\(timeoutSeconds)s",
                         "--latency", "-s", script, url]
        let child = try ChildProcess(executable: executable, arguments: arguments, logPath: logPath)
        let exit = child.wait(timeout: .seconds(duration + 60))
        let output = child.log
        guard exit.succeeded else {
            throw BenchError("wrk failed (status \(exit.status)):\n\(child.logTail())")
        }
        guard let result = Self.parse(output, cpuSeconds: exit.cpuSeconds) else {
            throw BenchError("cannot read wrk's summary:\n\(output)")
        }
        return result
    }

    /// Reads `Requests/sec:`, the `N requests in Xs` line, the `--latency` percentiles and the
    /// error lines of wrk 4's text summary.
    static func parse(_ output: String, cpuSeconds: Double) -> Result? {
        var requestsPerSecond: Double?
        var requests = 0
        var seconds = 0.0
        var p50: Double?
        var p99: Double?
        var non2xx = 0
        var socketErrors = 0
        for rawLine in output.split(separator: "\n") {
            let line = rawLine.trimmingSpaces()
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if line.hasPrefix("Requests/sec:"), fields.count >= 2 {
                requestsPerSecond = Double(fields[1])
            } else if fields.count >= 4, fields[1] == "requests", fields[2] == "in" {
                requests = Int(fields[0]) ?? 0
                seconds = duration(String(fields[3].trimmingCharacters(in: CharacterSet(charactersIn: ","))) ) ?? 0
            } else if fields.count == 2, fields[0] == "50%" {
                p50 = duration(String(fields[1]))
            } else if fields.count == 2, fields[0] == "99%" {
                p99 = duration(String(fields[1]))
            } else if line.hasPrefix("Non-2xx or 3xx responses:"), let last = fields.last {
                non2xx = Int(last) ?? 0
            } else if line.hasPrefix("Socket errors:") {
                // "Socket errors: connect 0, read 0, write 0, timeout 0"
                socketErrors = fields.compactMap { Int($0.trimmingCharacters(in: CharacterSet(charactersIn: ","))) }.reduce(0, +)
            }
        }
        guard let requestsPerSecond else { return nil }
        return Result(requestsPerSecond: requestsPerSecond, requests: requests, seconds: seconds,
                      p50Seconds: p50, p99Seconds: p99, non2xx: non2xx, socketErrors: socketErrors,
                      wrkCPUSeconds: cpuSeconds, output: output)
    }

    /// wrk's durations: `635.91us`, `1.20ms`, `2.01s`, `1.00m`.
    static func duration(_ text: String) -> Double? {
        let units: [(String, Double)] = [("us", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            guard let value = Double(text.dropLast(suffix.count)) else { return nil }
            return value * factor
        }
        return Double(text)
    }
}
