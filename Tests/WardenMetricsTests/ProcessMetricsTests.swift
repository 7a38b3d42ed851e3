import Foundation
import Testing
import WardenMetrics

/// Checked against independent readings of the same facts (`/proc/self/statm`, `/proc/self/limits`,
/// the clock), not against the parsing code itself.
@Suite struct ProcessMetricsTests {
    private let pageSize = UInt64(sysconf(Int32(_SC_PAGESIZE)))

    private func statm() throws -> (virtual: UInt64, resident: UInt64) {
        let fields = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8).split(separator: " ")
        return (UInt64(fields[0])! * pageSize, UInt64(fields[1])! * pageSize)
    }

    @Test func everyValueIsReadOnLinux() {
        let metrics = ProcessMetrics.read()
        #expect(metrics.cpuSecondsTotal != nil)
        #expect(metrics.residentMemoryBytes != nil)
        #expect(metrics.virtualMemoryBytes != nil)
        #expect(metrics.openFDs != nil)
        #expect(metrics.maxFDs != nil)
        #expect(metrics.startTimeSeconds != nil)
    }

    @Test func memoryMatchesStatm() throws {
        let before = try statm()
        let metrics = ProcessMetrics.read()
        let after = try statm()
        let slack: UInt64 = 256 << 20  // every test target shares this process and allocates concurrently
        let resident = try #require(metrics.residentMemoryBytes)
        let virtual = try #require(metrics.virtualMemoryBytes)
        #expect(resident + slack >= min(before.resident, after.resident) && resident <= max(before.resident, after.resident) + slack)
        #expect(virtual + slack >= min(before.virtual, after.virtual) && virtual <= max(before.virtual, after.virtual) + slack)
        #expect(resident > 1 << 20)
    }

    @Test func openFDsFollowsOpenedDescriptors() throws {
        let before = try #require(ProcessMetrics.read().openFDs)
        let duplicates = (0..<400).map { _ in dup(0) }
        defer { duplicates.forEach { _ = close($0) } }
        #expect(duplicates.allSatisfy { $0 >= 0 })
        let after = try #require(ProcessMetrics.read().openFDs)
        // Every test target shares this process: end-to-end tests open and close sockets and
        // pipes at the same time, so allow a wide margin around the 400 we opened (well under a 1024 descriptor limit).
        #expect(abs(after - before - 400) <= 150, "before \(before), after \(after)")
    }

    @Test func maxFDsIsTheSoftLimitFromProcLimits() throws {
        let limits = try String(contentsOfFile: "/proc/self/limits", encoding: .utf8)
        let line = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max open files") })
        let soft = line.dropFirst("Max open files".count).split(separator: " ")[0]
        let expected = soft == "unlimited" ? UInt64.max : UInt64(soft)
        #expect(ProcessMetrics.read().maxFDs == expected)
    }

    @Test func startTimeIsInThePastAndRecent() throws {
        let start = try #require(ProcessMetrics.read().startTimeSeconds)
        let now = Date().timeIntervalSince1970
        #expect(start <= now + 1)
        #expect(start > now - 3600, "the test process started within the hour")
    }

    /// The process CPU clock, read independently of `/proc/self/stat`.
    private func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    @Test func cpuTimeMatchesTheProcessCPUClock() throws {
        let before = processCPUSeconds()
        let metrics = try #require(ProcessMetrics.read().cpuSecondsTotal)
        let after = processCPUSeconds()
        // /proc counts whole clock ticks (10 ms) and scales user/system time slightly differently.
        #expect(metrics >= before * 0.95 - 0.05 && metrics <= after * 1.05 + 0.05, "clock \(before)...\(after), /proc \(metrics)")
    }

    @Test func cpuTimeGrowsWithWork() throws {
        let before = try #require(ProcessMetrics.read().cpuSecondsTotal)
        // Spin until this process has used 0.3 s more CPU (wall time would be unreliable on a busy machine).
        let target = processCPUSeconds() + 0.3
        var spin: UInt64 = 0
        while processCPUSeconds() < target { spin &+= 1 }
        #expect(spin > 0)
        let after = try #require(ProcessMetrics.read().cpuSecondsTotal)
        #expect(after - before >= 0.25, "before \(before), after \(after)")
    }

    @Test func writesTheStandardFamilies() {
        var writer = ExpositionWriter(format: .prometheusText)
        ProcessMetrics.read().write(into: &writer)
        let types = String(decoding: writer.finish(), as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("# TYPE") }
        #expect(types == [
            "# TYPE process_cpu_seconds_total counter", "# TYPE process_open_fds gauge", "# TYPE process_max_fds gauge",
            "# TYPE process_virtual_memory_bytes gauge", "# TYPE process_resident_memory_bytes gauge",
            "# TYPE process_start_time_seconds gauge",
        ])
    }

    @Test func liveValuesPassPromtoolAndOpenMetricsParsers() throws {
        var text = ExpositionWriter(format: .prometheusText)
        var openMetrics = ExpositionWriter(format: .openMetrics)
        let metrics = ProcessMetrics.read()
        metrics.write(into: &text)
        metrics.write(into: &openMetrics)
        let check = try ExternalTools.promtoolCheckMetrics(text.finish())
        #expect(check.status == 0, "\(check.stdoutText)\(check.stderrText)")
        let families = try ExternalTools.pythonParse(openMetrics.finish(), format: .openmetrics)
        #expect(families.map(\.name) == ["process_cpu_seconds", "process_open_fds", "process_max_fds", "process_virtual_memory_bytes",
                                         "process_resident_memory_bytes", "process_start_time_seconds"])
        #expect(families.map(\.unit) == ["seconds", "", "", "bytes", "bytes", "seconds"])
    }

    @Test func missingValuesAreLeftOut() {
        var writer = ExpositionWriter(format: .prometheusText)
        ProcessMetrics(openFDs: 3).write(into: &writer)
        #expect(String(decoding: writer.finish(), as: UTF8.self)
            == "# HELP process_open_fds Number of open file descriptors.\n# TYPE process_open_fds gauge\nprocess_open_fds 3\n")
    }
}
