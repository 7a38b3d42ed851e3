#if canImport(Glibc)
import Glibc
#endif

/// Memory and CPU of a process, read from Linux's `/proc` (`self` or a child's pid).
///
/// VmHWM is the peak resident set since the process started: the number the "under 200 MB"
/// target is about, since a scrape's buffers come and go between two samples of VmRSS.
struct ProcessStatus: Codable {
    var peakResidentBytes: Int
    var residentBytes: Int

    static func read(pid: String = "self") -> ProcessStatus? {
        guard let text = readText("/proc/\(pid)/status") else { return nil }
        var peak: Int?
        var current: Int?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("VmHWM:") { peak = kibibytes(line) }
            if line.hasPrefix("VmRSS:") { current = kibibytes(line) }
        }
        guard let peak, let current else { return nil }
        return ProcessStatus(peakResidentBytes: peak * 1024, residentBytes: current * 1024)
    }

    /// User + system CPU seconds of a running process (`utime` + `stime` of `/proc/<pid>/stat`).
    static func cpuSeconds(pid: pid_t) -> Double? {
        guard let text = readText("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else { return nil }
        // Fields after the command name; utime and stime are fields 14 and 15 of the whole line.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// CPU seconds of the calling thread: unlike wall time, barely moved by other engineers'
    /// builds competing for the same two cores, so it shows what the code itself costs.
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Bytes this process passed to write(2) and friends (`wchar` of /proc/self/io): for SQLite,
    /// the WAL frames it appends (page images), which shows how many pages a commit touches.
    static func bytesWritten() -> Int? {
        guard let text = readText("/proc/self/io") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("wchar:") {
            return line.split(separator: " ").last.flatMap { Int($0) }
        }
        return nil
    }

    private static func kibibytes(_ line: Substring) -> Int? {
        line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
    }

    static func readText(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
