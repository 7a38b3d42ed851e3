import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport

/// The real `tokenwarden` binary, started as a child process on a free loopback port.
///
/// The tests drive it exactly as a user would: over HTTP, with signals, and by restarting it on
/// the same database file.
final class WardenProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    let logPath: String
    private let logHandle: FileHandle
    /// Serving HTTPS (a web configuration with TLS): URLSession does not trust the test's CA,
    /// so readiness is read from the log and requests go through ``Curl``.
    let tls: Bool

    var baseURL: String { "\(tls ? "https" : "http")://127.0.0.1:\(port)" }

    /// The binary under test: `$TOKENWARDEN_BINARY`, or the one `swift build` put beside the tests.
    static var binaryPath: String {
        if let path = ProcessInfo.processInfo.environment["TOKENWARDEN_BINARY"] { return path }
        // <root>/Tests/EndToEndTests/Support/WardenProcess.swift
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        for configuration in ["debug", "release"] {
            let candidate = root.appendingPathComponent(".build/\(configuration)/tokenwarden").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return root.appendingPathComponent(".build/debug/tokenwarden").path
    }

    /// Starts `tokenwarden serve` and waits until `/-/ready` answers 200. `host` is the address
    /// it listens on; the tests reach it on 127.0.0.1 either way.
    /// `launcher` runs the binary through another command (`prlimit --nofile=...`), which must exec it.
    /// `binary` is the one under test unless given (a release tarball's).
    init(rules: String, database: String, extraArguments: [String] = [], port requestedPort: Int? = nil, tls: Bool = false,
         host: String = "127.0.0.1", launcher: [String] = [], binary: String = WardenProcess.binaryPath) async throws {
        self.tls = tls
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw TestFailure("tokenwarden binary not found at \(binary): run `swift build` first (make test does)")
        }
        logPath = database + ".\(UUID().uuidString.prefix(8)).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.executableURL = URL(fileURLWithPath: launcher.first ?? binary)
        // Port 0 unless the test needs a given one (a restart on the same address): a port found
        // free beforehand can be taken by a parallel test's daemon before this one binds, and then
        // this test's readiness poll is answered by the other daemon.
        process.arguments = Array(launcher.dropFirst()) + (launcher.isEmpty ? [] : [binary])
            + ["serve", "--listen", "\(host):\(requestedPort ?? 0)", "--rules", rules, "--data", database] + extraArguments
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()
        if let requestedPort {
            port = requestedPort
        } else {
            port = try await Self.boundPort(of: process, logPath: logPath, host: host)
        }
        try await waitUntilReady()
    }

    /// The port the daemon reports in its "listening" log line.
    private static func boundPort(of process: Process, logPath: String, host: String) async throws -> Int {
        let port: Int? = try await poll(for: .seconds(90), every: .milliseconds(20)) {
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            // The "listening" record in any --log-format: text, logfmt (`address=…`) or JSON.
            for line in log.split(separator: "\n")
            where line.hasSuffix("] listening") || line.contains(" msg=listening ") || line.contains(#""message":"listening""#) {
                if let start = line.range(of: "address=\(host):") ?? line.range(of: #""address":"\#(host):"#),
                   let port = Int(line[start.upperBound...].prefix { $0.isNumber }), port > 0 {
                    return port
                }
            }
            if !process.isRunning {
                throw TestFailure("tokenwarden exited with status \(process.terminationStatus) during start:\n\(log)")
            }
            return nil
        }
        guard let port else { throw TestFailure("tokenwarden did not log the address it listens on within 90 s") }
        return port
    }

    private func waitUntilReady() async throws {
        // Generous: CI runs every suite in parallel on 2 cores, and a debug binary starts slowly
        // there. Each poll has its own short timeout so one stuck connection can't eat the wait.
        var lastError = "no answer yet"
        let ready: Bool? = try await poll(for: .seconds(90), every: .milliseconds(50)) {
            if !process.isRunning {
                throw TestFailure("tokenwarden exited with status \(process.terminationStatus) during start:\n\(log)")
            }
            if tls {
                if log.contains("[WardenRuntime] ready") { return true }
                lastError = "no ready line in the log yet"
                return nil
            }
            switch await HTTP.probe("\(baseURL)/-/ready", timeout: 2) {
            case .success(200): return true
            case .success(let status): lastError = "HTTP \(status)"
            case .failure(let error): lastError = "\(error)"
            }
            return nil
        }
        if ready == nil {
            throw TestFailure("tokenwarden did not become ready within 90 s (last poll: \(lastError)); its log:\n\(log)")
        }
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Sends `signal` and waits for the process to exit; returns its termination status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM) async -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        _ = try? await poll(for: .seconds(20), every: .milliseconds(20), until: { !process.isRunning })
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        try? logHandle.close()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Asks the kernel for a free loopback port. The port is free when returned; a parallel test
/// could take it before the server binds, which the server reports as a bind error.
enum FreePort {
    static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw TestFailure("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
