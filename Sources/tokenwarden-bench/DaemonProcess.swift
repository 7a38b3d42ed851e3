import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A server under test — `tokenwarden serve` or `tokenwarden-bench bare-server` — started as a
/// child on a free loopback port and considered up when `GET /-/ready` answers 200.
///
/// `readySeconds` is measured from just before `posix_spawn` to the first 200, polling every
/// 2 ms: it is the restart-recovery number (exec, configuration, SQLite open, ledger restore).
final class DaemonProcess {
    let child: ChildProcess
    let port: Int
    let readySeconds: Double
    /// Serving HTTPS (`--web.config.file` with TLS); its readiness is asked with curl.
    let tls: Bool
    var url: String { "\(tls ? "https" : "http")://127.0.0.1:\(port)" }

    init(executable: String, arguments: (_ listen: String) -> [String], logPath: String, readyTimeout: Duration = .seconds(120),
         tls: Bool = false) throws {
        port = try LoopbackHTTP.freePort()
        self.tls = tls
        let started = ContinuousClock.now
        child = try ChildProcess(executable: executable, arguments: arguments("127.0.0.1:\(port)"), logPath: logPath)
        let deadline = started + readyTimeout
        while true {
            if tls {
                if Self.readyOverTLS(port: port) { break }
            } else if let response = LoopbackHTTP.get(port: port, path: "/-/ready", timeoutSeconds: 5), response.status == 200 {
                break
            }
            if child.hasExited {
                throw BenchError("\(child.command) exited before it was ready:\n\(child.logTail())")
            }
            if ContinuousClock.now > deadline {
                child.terminate()
                throw BenchError("\(child.command) was not ready within \(readyTimeout):\n\(child.logTail())")
            }
            usleep(tls ? 50_000 : 2_000)
        }
        readySeconds = (ContinuousClock.now - started).seconds
    }

    /// `tokenwarden serve` on a rules directory and database; with `webConfig`, the web
    /// configuration (`tls` when it serves HTTPS).
    static func warden(binary: String, rules: String, database: String, durability: String = "normal",
                       logPath: String, readyTimeout: Duration = .seconds(120), webConfig: String? = nil,
                       tls: Bool = false) throws -> DaemonProcess {
        try DaemonProcess(executable: binary, arguments: { listen in
            ["serve", "--listen", listen, "--rules", rules, "--data", database, "--durability", durability, "--log-level", "warning"]
                + (webConfig.map { ["--web.config.file", $0] } ?? [])
        }, logPath: logPath, readyTimeout: readyTimeout, tls: tls)
    }

    /// `GET /-/ready` over HTTPS answers 200 (curl, not verifying the benchmark's own certificate).
    private static func readyOverTLS(port: Int) -> Bool {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-sk", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}", "https://127.0.0.1:\(port)/-/ready"]
        let output = Pipe()
        curl.standardOutput = output
        curl.standardError = FileHandle.nullDevice
        guard (try? curl.run()) != nil else { return false }
        let status = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        curl.waitUntilExit()
        return status == "200"
    }

    /// `tokenwarden-bench bare-server`, the ingest baseline.
    static func bare(benchBinary: String, logPath: String, options: [String] = []) throws -> DaemonProcess {
        try DaemonProcess(executable: benchBinary, arguments: { listen in ["bare-server", "--listen", listen] + options }, logPath: logPath)
    }

    var cpuSeconds: Double? { ProcessStatus.cpuSeconds(pid: child.pid) }
    var status: ProcessStatus? { ProcessStatus.read(pid: String(child.pid)) }

    /// SIGTERM and wait: the daemon drains the writer and checkpoints the WAL before exiting.
    @discardableResult
    func stop() -> ChildProcess.Exit { child.terminate(grace: .seconds(60)) }
}
