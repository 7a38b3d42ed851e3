#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The standard `process_*` metrics every Prometheus client exposes, read from Linux's `/proc`.
///
/// Each value is optional: where `/proc` is missing (macOS, a locked-down container) a field is
/// `nil` and its family is left out, rather than exposed as a misleading 0.
public struct ProcessMetrics: Sendable, Equatable {
    /// User + system CPU time, seconds (`utime` + `stime` of `/proc/self/stat`).
    public var cpuSecondsTotal: Double?
    /// Resident set size, bytes (`rss` pages of `/proc/self/stat` × page size).
    public var residentMemoryBytes: UInt64?
    /// Virtual memory size, bytes (`vsize` of `/proc/self/stat`).
    public var virtualMemoryBytes: UInt64?
    /// Entries of `/proc/self/fd`, not counting the one used to list them.
    public var openFDs: Int?
    /// The soft `RLIMIT_NOFILE` — the "Max open files" soft value of `/proc/self/limits`, read with
    /// `getrlimit` instead of parsing the table. Unlimited is reported as UInt64.max.
    public var maxFDs: UInt64?
    /// Process start, seconds since the Unix epoch: `btime` of `/proc/stat` + `starttime` of
    /// `/proc/self/stat` (clock ticks since boot).
    public var startTimeSeconds: Double?

    public init(cpuSecondsTotal: Double? = nil, residentMemoryBytes: UInt64? = nil, virtualMemoryBytes: UInt64? = nil,
                openFDs: Int? = nil, maxFDs: UInt64? = nil, startTimeSeconds: Double? = nil) {
        self.cpuSecondsTotal = cpuSecondsTotal
        self.residentMemoryBytes = residentMemoryBytes
        self.virtualMemoryBytes = virtualMemoryBytes
        self.openFDs = openFDs
        self.maxFDs = maxFDs
        self.startTimeSeconds = startTimeSeconds
    }

    /// Reads the current values; a few system calls, cheap enough for every scrape.
    public static func read() -> ProcessMetrics {
        var metrics = ProcessMetrics()
        #if os(Linux)
        if let stat = ProcStat.current() {
            let ticks = Double(ProcStat.clockTicksPerSecond)
            metrics.cpuSecondsTotal = Double(stat.userTicks + stat.systemTicks) / ticks
            metrics.virtualMemoryBytes = stat.virtualMemoryBytes
            metrics.residentMemoryBytes = stat.residentPages * UInt64(ProcStat.pageSize)
            if let bootTime = ProcStat.bootTime {
                metrics.startTimeSeconds = Double(bootTime) + Double(stat.startTicks) / ticks
            }
        }
        metrics.openFDs = countOpenFDs()
        #endif
        var limit = rlimit()
        #if os(Linux)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        if getrlimit(resource, &limit) == 0 {
            // RLIM_INFINITY is all ones on Linux and Int64.max on Darwin; both read as "unlimited".
            metrics.maxFDs = UInt64(limit.rlim_cur) >= UInt64(Int64.max) ? UInt64.max : UInt64(limit.rlim_cur)
        }
        return metrics
    }

    /// Writes the present values under the names the Prometheus client libraries use, so existing
    /// dashboards and alerts work unchanged.
    public func write(into writer: inout ExpositionWriter) {
        if let cpuSecondsTotal {
            writer.family("process_cpu_seconds_total", type: .counter, help: "Total user and system CPU time spent in seconds.", unit: "seconds")
            writer.sample("process_cpu_seconds_total", .empty, cpuSecondsTotal)
        }
        if let openFDs {
            writer.family("process_open_fds", type: .gauge, help: "Number of open file descriptors.")
            writer.sample("process_open_fds", .empty, openFDs)
        }
        if let maxFDs {
            writer.family("process_max_fds", type: .gauge, help: "Maximum number of open file descriptors.")
            writer.sample("process_max_fds", .empty, maxFDs)
        }
        if let virtualMemoryBytes {
            writer.family("process_virtual_memory_bytes", type: .gauge, help: "Virtual memory size in bytes.", unit: "bytes")
            writer.sample("process_virtual_memory_bytes", .empty, virtualMemoryBytes)
        }
        if let residentMemoryBytes {
            writer.family("process_resident_memory_bytes", type: .gauge, help: "Resident memory size in bytes.", unit: "bytes")
            writer.sample("process_resident_memory_bytes", .empty, residentMemoryBytes)
        }
        if let startTimeSeconds {
            writer.family("process_start_time_seconds", type: .gauge, help: "Start time of the process since unix epoch in seconds.", unit: "seconds")
            writer.sample("process_start_time_seconds", .empty, startTimeSeconds)
        }
    }

    #if os(Linux)
    private static func countOpenFDs() -> Int? {
        guard let directory = opendir("/proc/self/fd") else { return nil }
        defer { closedir(directory) }
        let ownFD = dirfd(directory)
        var count = 0
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard let fd = Int32(name), fd != ownFD else { continue }  // skips ".", ".."
            count += 1
        }
        return count
    }
    #endif
}

#if os(Linux)
/// The fields of `/proc/self/stat` (proc(5)) that the process metrics need.
struct ProcStat {
    var userTicks: UInt64
    var systemTicks: UInt64
    var startTicks: UInt64
    var virtualMemoryBytes: UInt64
    var residentPages: UInt64

    static let clockTicksPerSecond = max(sysconf(Int32(_SC_CLK_TCK)), 1)
    static let pageSize = max(sysconf(Int32(_SC_PAGESIZE)), 1)
    /// Boot time never changes while we run: read once.
    static let bootTime: UInt64? = {
        guard let text = readSmallFile("/proc/stat") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return UInt64(line.dropFirst(6).trimmingPrefix(" "))
        }
        return nil
    }()

    static func current() -> ProcStat? {
        guard let text = readSmallFile("/proc/self/stat") else { return nil }
        return parse(text)
    }

    /// Fields are counted after the command name's closing parenthesis: the name itself may hold
    /// spaces and parentheses.
    static func parse(_ text: String) -> ProcStat? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        // After ")": field 3 (state) is the first, so field n sits at index n - 3.
        let fields = text[text.index(after: close)...].split(separator: " ")
        func field(_ number: Int) -> UInt64? {
            let index = number - 3
            return index < fields.count ? UInt64(fields[index]) : nil
        }
        guard let utime = field(14), let stime = field(15), let start = field(22),
              let vsize = field(23), let rss = field(24) else { return nil }
        return ProcStat(userTicks: utime, systemTicks: stime, startTicks: start, virtualMemoryBytes: vsize, residentPages: rss)
    }

    /// `/proc` files report a size of 0, so they are read until end of file.
    static func readSmallFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 { if errno == EINTR { continue } else { return nil } }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
#endif
