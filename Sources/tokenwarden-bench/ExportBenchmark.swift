import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `GET /v1/usage.csv` of a million rows: how much memory the server holds beyond its idle level
/// while it streams them (target: within 64 MiB, since the rows are read and sent a batch at a
/// time), and how fast.
///
/// The daemon's peak is reset after start (`/proc/PID/clear_refs`), so `VmHWM` afterwards is the
/// export's own peak, against `VmRSS` at idle.
struct ExportBenchmark {
    let workspace: BenchWorkspace
    let wardenBinary: String
    let benchBinary: String
    var events = 1_000_000

    static let targetBytes = 64 << 20

    func run(into table: inout ResultTable) {
        let metric = "/v1/usage.csv of \(Format.count(events)) rows: server peak over idle"
        do {
            let rules = try workspace.rules("rules-export")
            let database = try workspace.database("export")
            defer { workspace.removeDatabase(database) }
            _ = try ProbeChannel.run(GenerateDatabaseCommand.Result.self, benchBinary: benchBinary,
                                     arguments: ["generate-db", "--rules", rules, "--data", database, "--events", "\(events)"],
                                     logPath: workspace.path("generate-export.log"), timeout: .seconds(600))
            let daemon = try DaemonProcess.warden(binary: wardenBinary, rules: rules, database: database,
                                                  logPath: workspace.path("export.log"))
            defer { daemon.stop() }
            let pid = daemon.child.pid
            Thread.sleep(forTimeInterval: 1)
            guard let idle = ProcessStatus.read(pid: String(pid))?.residentBytes else { throw BenchError("cannot read the daemon's RSS") }
            guard Self.resetPeak(pid: pid) else { throw BenchError("cannot reset the daemon's peak RSS (/proc/\(pid)/clear_refs)") }
            let (rows, bytes, seconds) = try Self.download(port: daemon.port, path: "/v1/usage.csv?limit=\(events)")
            guard let peak = ProcessStatus.read(pid: String(pid))?.peakResidentBytes else { throw BenchError("cannot read the daemon's peak RSS") }
            guard rows == events else { throw BenchError("the export had \(rows) rows, expected \(events)") }
            let over = max(0, peak - idle)
            table.add(.init(metric: metric, value: Format.bytes(over), baseline: "\(Format.bytes(idle)) idle RSS",
                            ratio: Format.ratio(Double(over) / Double(Self.targetBytes)), target: "<= 64 MiB",
                            verdict: over <= Self.targetBytes ? .pass : .miss))
            table.note("export: \(Format.count(rows)) rows, \(Format.bytes(bytes)) in \(Format.seconds(seconds)) "
                       + "(\(Format.rate(Double(rows) / seconds)) rows/s); daemon peak RSS \(Format.bytes(peak))")
        } catch {
            table.failed(metric, error)
        }
    }

    /// Writing 5 to `clear_refs` resets the peak resident set size the kernel reports as `VmHWM`.
    static func resetPeak(pid: pid_t) -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/\(pid)/clear_refs") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
    }

    /// Reads the whole response, counting its lines, without keeping it (HTTP/1.0: the body ends
    /// when the server closes, no chunk framing to skip).
    static func download(port: Int, path: String) throws -> (rows: Int, bytes: Int, seconds: Double) {
        let started = ContinuousClock.now
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw BenchError("cannot connect to the daemon") }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == request.count else { throw BenchError("send failed") }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var head: [UInt8] = []
        var inBody = false
        var lines = 0
        var bytes = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            var start = 0
            if !inBody {
                // Until the blank line that ends the headers, keep what came and look for it.
                head.append(contentsOf: buffer[..<count])
                guard let end = Self.endOfHeaders(head) else { continue }
                inBody = true
                start = count - (head.count - end)
            }
            bytes += count - start
            for index in start..<count where buffer[index] == 0x0A { lines += 1 }
        }
        guard inBody, head.starts(with: Array("HTTP/1.1 200".utf8)) || head.starts(with: Array("HTTP/1.0 200".utf8)) else {
            throw BenchError("the export did not answer 200: \(String(decoding: head.prefix(200), as: UTF8.self))")
        }
        let elapsed = ContinuousClock.now - started
        // The body's first line is the CSV header row.
        return (max(0, lines - 1), bytes, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// Where the body starts (just after the first CRLF CRLF), if it has arrived.
    static func endOfHeaders(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index + 4
        }
        return nil
    }
}
