import ArgumentParser
import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `tokenwarden-bench run` (the default, what `make bench` runs): every measurement in one go,
/// each against a baseline taken in the same run, printed as one table.
///
/// Numbers are reported, never asserted — the machine is two cores shared with other work, so a
/// MISS is information, not a failure. The exit status is non-zero only when a measurement
/// could not be taken at all (a daemon that would not start, wrk missing, a probe crash).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the whole benchmark and print the results table (the default)."
    )

    @Option(help: "Seconds of each measured wrk run.")
    var duration: Int = 10

    @Option(help: "Seconds of wrk warm-up before each measured run (0 to skip).")
    var warmup: Int = 2

    @Option(help: "Bare-then-tokenwarden rounds for the judged ratios (single-event ingest, /v1/check); verdicts on the median.")
    var rounds: Int = 5

    @Option(help: "wrk connections.")
    var connections: Int = 64

    @Option(help: "wrk threads.")
    var wrkThreads: Int = 2

    @Option(help: "Events in the restart-recovery database.")
    var recoveryEvents: Int = 1_000_000

    @Option(help: "Exposed series (sample lines) for the /metrics render and scrape benchmarks, comma-separated.")
    var series: String = "1000,10000,100000"

    @Option(help: "Ledger label sets for the unjudged /metrics stress rows, comma-separated (empty for none).")
    var stressLabelSets: String = "100000"

    @Option(help: """
        Parts to run, comma-separated: ingest, stages, render, scrape, recovery, check (over HTTP), decision (in process), \
        floor (what the HTTP ratios allow at best), export (a million-row CSV export's memory), versus (server CPU per \
        request against --baseline-warden), auth (server CPU per request with a bearer key against none), tls (/v1/check over HTTPS against plain HTTP), \
        integrations (OTLP spans and LiteLLM payloads in batches of 100 against /v1/usage batches of 100), and the in-process kernels: decode (usage events and LiteLLM payloads), conditions (policy `when:`), \
        quotas (the rate limiter), writer (the exposition writer alone).
        """)
    var only: String = RunCommand.allParts.joined(separator: ",")

    static let allParts = ["ingest", "stages", "render", "scrape", "recovery", "check", "decision", "floor", "export", "versus",
                           "auth", "tls", "integrations", "decode", "conditions", "quotas", "writer"]

    @Option(help: "The tokenwarden binary (default: the one beside this executable).")
    var warden: String?

    @Option(help: "Another tokenwarden binary to compare this one with (the versus part); `make bench` builds it from BENCH_BASELINE.")
    var baselineWarden: String?

    @Option(help: "The wrk binary (default: wrk on PATH).")
    var wrk: String?

    @Option(help: "Also write the results as Markdown into this file, between its `<!-- results -->` and `<!-- end results -->` lines.")
    var markdown: String?

    @Flag(help: "Keep the temporary directory with databases, scripts and logs.")
    var keepWorkspace = false

    func validate() throws {
        guard duration >= 1, warmup >= 0, rounds >= 1, connections >= 1, wrkThreads >= 1, recoveryEvents >= 1 else {
            throw ValidationError("durations, connections, threads and event counts must be positive")
        }
        guard !seriesCounts.isEmpty else { throw ValidationError("--series needs at least one positive count") }
        let unknown = parts.subtracting(Self.allParts)
        guard unknown.isEmpty else { throw ValidationError("unknown --only part(s): \(unknown.sorted().joined(separator: ", "))") }
    }

    private var seriesCounts: [Int] { series.split(separator: ",").compactMap { Int($0.trimmingSpaces()) }.filter { $0 > 0 } }
    private var stressLabelSetCounts: [Int] {
        stressLabelSets.split(separator: ",").compactMap { Int($0.trimmingSpaces()) }.filter { $0 > 0 }
    }
    private var parts: Set<String> { Set(only.split(separator: ",").map { $0.trimmingSpaces() }) }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        let benchBinary = try Self.ownExecutable()
        let wardenBinary = warden ?? ((benchBinary as NSString).deletingLastPathComponent as NSString).appendingPathComponent("tokenwarden")
        guard FileManager.default.isExecutableFile(atPath: wardenBinary) else {
            throw BenchError("tokenwarden binary not found at \(wardenBinary): build it (`swift build -c release`) or pass --warden")
        }
        let wrkBinary = try wrk ?? Self.onPath("wrk")
        let workspace = try BenchWorkspace()
        let interrupts = Self.cleanUpOnInterrupt(workspace: workspace, keep: keepWorkspace)
        defer {
            for source in interrupts { source.cancel() }
            if keepWorkspace { say("workspace kept: \(workspace.root)") } else { workspace.remove() }
        }

        let started = ContinuousClock.now
        say("TokenWarden benchmark — \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(Self.loadAverage) at start")
        say("tokenwarden: \(wardenBinary)\nworkspace: \(workspace.root) (\(workspace.fileSystemType))\n")

        var table = ResultTable()
        let parts = self.parts
        if parts.contains("ingest") {
            say("== ingest over HTTP (wrk -t\(wrkThreads) -c\(connections) -d\(duration)s --latency, \(warmup)s warm-up each) ==")
            let runner = WrkRunner(executable: wrkBinary, threads: wrkThreads, connections: connections)
            IngestBenchmark(workspace: workspace, wardenBinary: wardenBinary, benchBinary: benchBinary, wrk: runner,
                            duration: duration, warmup: warmup, rounds: rounds).run(into: &table)
        }
        if parts.contains("stages") {
            say("== ingest stages in-process ==")
            StageBreakdown(workspace: workspace, benchBinary: benchBinary).run(into: &table)
        }
        if parts.contains("render") {
            say("== /metrics render in-process ==")
            RenderBenchmark(workspace: workspace, benchBinary: benchBinary, seriesCounts: seriesCounts,
                            stressLabelSetCounts: stressLabelSetCounts).run(into: &table)
        }
        if parts.contains("scrape") {
            say("== /metrics over HTTP against the daemon ==")
            ScrapeBenchmark(workspace: workspace, wardenBinary: wardenBinary, benchBinary: benchBinary,
                            seriesCounts: seriesCounts, stressLabelSetCounts: stressLabelSetCounts).run(into: &table)
        }
        if parts.contains("recovery") {
            say("== restart recovery ==")
            RecoveryBenchmark(workspace: workspace, wardenBinary: wardenBinary, benchBinary: benchBinary,
                              events: recoveryEvents).run(into: &table)
        }

        if parts.contains("check") || parts.contains("decision") {
            say("== /v1/check (20 budgets, 5 quotas, 10 policies)\(parts.contains("check") ? " over HTTP" : "")\(parts.contains("decision") ? " in process" : "") ==")
            let runner = WrkRunner(executable: wrkBinary, threads: wrkThreads, connections: connections)
            CheckBenchmark(workspace: workspace, wardenBinary: wardenBinary, benchBinary: benchBinary, wrk: runner,
                           duration: duration, warmup: warmup, rounds: rounds).run(into: &table, overHTTP: parts.contains("check"),
                                                                   inProcess: parts.contains("decision"))
        }

        if parts.contains("floor") {
            say("== floor: the bare handler answering late, or spending a fixed CPU per request ==")
            let runner = WrkRunner(executable: wrkBinary, threads: wrkThreads, connections: connections)
            FloorBenchmark(workspace: workspace, benchBinary: benchBinary, wrk: runner, duration: duration, warmup: warmup)
                .run(into: &table)
        }

        if parts.contains("export") {
            say("== a million-row CSV export ==")
            ExportBenchmark(workspace: workspace, wardenBinary: wardenBinary, benchBinary: benchBinary).run(into: &table)
        }
        if parts.contains("versus") {
            if let baselineWarden {
                say("== this build against the baseline build: server CPU per request ==")
                let runner = WrkRunner(executable: wrkBinary, threads: wrkThreads, connections: connections)
                VersusBenchmark(workspace: workspace, wardenBinary: wardenBinary, baselineBinary: baselineWarden, wrk: runner,
                                duration: duration, warmup: warmup, rounds: rounds).run(into: &table)
            } else {
                table.note("versus: skipped (no --baseline-warden)")
            }
        }
        if parts.contains("auth") {
            say("== API key authentication: server CPU per request with a bearer key against none ==")
            let runner = WrkRunner(executable: wrkBinary, threads: wrkThreads, connections: connections)
            AuthBenchmark(workspace: workspace, wardenBinary: wardenBinary, wrk: runner, duration: duration, warmup: warmup,
                          rounds: rounds).run(into: &table)
        }
        if parts.contains("tls") {
            say("== /v1/check over HTTPS against plain HTTP (wrk -t\(wrkThreads) -c\(connections), keep-alive) ==")
            let runner = WrkRunner(executable: wrkBinary, threads: wrkThreads, connections: connections)
            TLSBenchmark(workspace: workspace, wardenBinary: wardenBinary, wrk: runner, duration: duration, warmup: warmup,
                         rounds: rounds).run(into: &table)
        }
        if parts.contains("integrations") {
            say("== integrations: OTLP spans and LiteLLM payloads against /v1/usage, batches of 100 (wrk -t\(wrkThreads) -c\(connections)) ==")
            let runner = WrkRunner(executable: wrkBinary, threads: wrkThreads, connections: connections)
            IntegrationBenchmark(workspace: workspace, wardenBinary: wardenBinary, wrk: runner, duration: duration, warmup: warmup,
                                 rounds: rounds).run(into: &table)
        }
        if parts.contains("decode") {
            say("== usage-event decoding in-process ==")
            DecodeBenchmark().run(into: &table)
            LiteLLMDecodeBenchmark().run(into: &table)
        }
        if parts.contains("conditions") {
            say("== policy conditions in-process ==")
            ConditionBenchmark().run(into: &table)
        }
        if parts.contains("quotas") {
            say("== quota limiter in-process ==")
            QuotaBenchmark().run(into: &table)
        }
        if parts.contains("writer") {
            say("== exposition writer in-process ==")
            ExpositionWriterBenchmark().run(into: &table)
        }

        say("\n== results (\(Format.seconds((ContinuousClock.now - started).seconds)), load average \(Self.loadAverage) at end) ==\n")
        say(table.render())
        if let markdown { try Self.writeResults(table, header: header(started: started), into: markdown) }
        if table.hasErrors { throw ExitCode(1) }
    }

    /// The machine and load the results were taken on.
    private func header(started: ContinuousClock.Instant) -> String {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return "Measured on \(cores) cores (load average at the end \(Self.loadAverage)), `wrk -t\(wrkThreads) -c\(connections)` on "
            + "the same cores, \(duration) s per measured run, \(rounds) rounds for the judged ratios; parts: "
            + "\(Self.allParts.filter(parts.contains).joined(separator: ", ")).\n\n"
    }

    /// Replaces what lies between the file's results markers with `table`.
    static func writeResults(_ table: ResultTable, header: String, into path: String) throws {
        let begin = "<!-- results -->", end = "<!-- end results -->"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let from = text.range(of: begin), let to = text.range(of: end), from.upperBound <= to.lowerBound else {
            throw BenchError("\(path) has no \(begin) … \(end) section to fill")
        }
        let updated = text[..<from.upperBound] + "\n" + header + table.markdown() + "\n" + text[to.lowerBound...]
        try String(updated).write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Prints at once: stdout is a pipe under `make`, and progress should show while it runs.
    private func say(_ text: String) {
        print(text)
        fflush(nil)
    }

    // MARK: environment

    static func ownExecutable() throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { throw BenchError("cannot find this executable (/proc/self/exe)") }
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func onPath(_ tool: String) throws -> String {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
            + ["/usr/bin", "/usr/local/bin"]
        for directory in directories {
            let candidate = (directory as NSString).appendingPathComponent(tool)
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw BenchError("\(tool) is not installed; `make bench` installs it (Debian package \(tool))")
    }

    static var loadAverage: String {
        ProcessStatus.readText("/proc/loadavg")?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
    }

    /// Ctrl-C or SIGTERM mid-run: kill the daemons and wrk we started, remove the workspace.
    static func cleanUpOnInterrupt(workspace: BenchWorkspace, keep: Bool) -> [DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                ChildRegistry.shared.killAll()
                if !keep { workspace.remove() }
                print("\ninterrupted; child processes killed")
                Glibc.exit(130)
            }
            source.resume()
            return source
        }
    }
}
