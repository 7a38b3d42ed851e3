import Foundation

/// The real parsers the exposition is checked against: Prometheus's `promtool` and Python's
/// prometheus_client. They are test dependencies that `make test` installs; a missing tool fails
/// the test with a message saying so, instead of silently skipping the check.
enum ExternalTools {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: Data
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    }

    static func promtool() throws -> String {
        if let path = findInPath("promtool") ?? (FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool") ? "/usr/bin/promtool" : nil) {
            return path
        }
        throw Missing(description: "promtool is missing (not in PATH, not at /usr/bin/promtool); `make test` installs it (Debian package prometheus)")
    }

    static func gzip() throws -> String {
        if let path = findInPath("gzip") { return path }
        throw Missing(description: "gzip is missing from PATH; install the Debian package gzip")
    }

    /// python3 that can import prometheus_client.
    static func python() throws -> String {
        guard let python = findInPath("python3") else {
            throw Missing(description: "python3 is missing from PATH; `make test` needs it to install prometheus_client")
        }
        let check = try run(python, ["-c", "import prometheus_client"])
        guard check.status == 0 else {
            throw Missing(description: "Python module prometheus_client is missing for \(python); `make test` installs it (python3 -m pip install prometheus_client)")
        }
        return python
    }

    /// Runs a program to completion. Input and output go through temporary files, so neither side
    /// can block on a full pipe.
    static func run(_ executable: String, _ arguments: [String], stdin: [UInt8] = []) throws -> Result {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let inputURL = directory.appendingPathComponent("stdin")
        let outputURL = directory.appendingPathComponent("stdout")
        let errorURL = directory.appendingPathComponent("stderr")
        try Data(stdin).write(to: inputURL)
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let input = try FileHandle(forReadingFrom: inputURL)
        let output = try FileHandle(forWritingTo: outputURL)
        let error = try FileHandle(forWritingTo: errorURL)
        defer {
            try? input.close()
            try? output.close()
            try? error.close()
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: try Data(contentsOf: outputURL), stderr: try Data(contentsOf: errorURL))
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wardenmetrics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private static func findInPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

// MARK: - promtool

extension ExternalTools {
    /// `promtool check metrics`: Prometheus's text-format (0.0.4) parser plus its lint rules
    /// (HELP present, counters end in `_total`, …). Exit 0 means parsed and lint-clean.
    ///
    /// Why only for the 0.0.4 text: promtool 2.42's `check metrics` has no OpenMetrics parser; it
    /// reads OpenMetrics as 0.0.4 text and rejects valid input (`\"` in HELP, the `info` type).
    static func promtoolCheckMetrics(_ exposition: [UInt8]) throws -> Result {
        try run(promtool(), ["check", "metrics"], stdin: exposition)
    }

    /// Feeds OpenMetrics through Prometheus's own OpenMetrics parser — the one its scraper uses —
    /// via `promtool tsdb create-blocks-from openmetrics`, then returns `promtool tsdb dump`'s series
    /// lines (`{__name__="x", a="b"} value timestamp`, label values Go-quoted).
    ///
    /// The backfill tool requires a timestamp on every sample, so ` 1700000000` is appended to each
    /// sample line (a valid OpenMetrics timestamp, and nothing else in the line changes).
    static func prometheusOpenMetricsRoundTrip(_ exposition: [UInt8]) throws -> [String] {
        let promtool = try promtool()
        let text = String(decoding: exposition, as: UTF8.self)
        let timestamped = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.isEmpty || line.hasPrefix("#") ? String(line) : line + " 1700000000"
        }.joined(separator: "\n")

        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("input.om")
        try Data(timestamped.utf8).write(to: input)
        let blocks = directory.appendingPathComponent("blocks")
        let create = try run(promtool, ["tsdb", "create-blocks-from", "openmetrics", input.path, blocks.path])
        guard create.status == 0 else {
            throw Failure(description: "Prometheus's OpenMetrics parser rejected the exposition (exit \(create.status)): \(create.stderrText)\(create.stdoutText)\n---\n\(timestamped)")
        }
        // `tsdb dump` opens the directory as a whole TSDB, which needs a WAL directory.
        try FileManager.default.createDirectory(at: blocks.appendingPathComponent("wal"), withIntermediateDirectories: true)
        let dump = try run(promtool, ["tsdb", "dump", blocks.path])
        guard dump.status == 0 else {
            throw Failure(description: "promtool tsdb dump failed (exit \(dump.status)): \(dump.stderrText)")
        }
        return dump.stdoutText.split(separator: "\n").map(String.init)
    }
}

// MARK: - prometheus_client

/// A metric family as prometheus_client's parsers read it.
struct ParsedFamily: Decodable, Equatable {
    var name: String
    var type: String
    var unit: String
    var help: String
    var samples: [ParsedSample]
}

struct ParsedSample: Decodable, Equatable {
    var name: String
    var labels: [String: String]
    /// Python's `repr(float(value))`, converted exactly (shortest round-trip digits).
    var value: Double

    enum CodingKeys: String, CodingKey { case name, labels, value }

    init(name: String, labels: [String: String], value: Double) {
        self.name = name
        self.labels = labels
        self.value = value
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        labels = try container.decode([String: String].self, forKey: .labels)
        let text = try container.decode(String.self, forKey: .value)
        guard let value = Double(text) else {
            throw DecodingError.dataCorruptedError(forKey: .value, in: container, debugDescription: "not a float: \(text)")
        }
        self.value = value
    }

    /// Equal values, NaN included.
    func hasValue(_ expected: Double) -> Bool {
        value == expected || (value.isNaN && expected.isNaN)
    }
}

extension ExternalTools {
    /// Parses with `prometheus_client.parser` (text 0.0.4) or `prometheus_client.openmetrics.parser`
    /// and returns what it read. Input is read as bytes and decoded as UTF-8 so that no newline
    /// translation touches it.
    static func pythonParse(_ exposition: [UInt8], format: ExpositionFormatName) throws -> [ParsedFamily] {
        let script = """
            import json, sys
            if sys.argv[1] == 'openmetrics':
                from prometheus_client.openmetrics.parser import text_string_to_metric_families
            else:
                from prometheus_client.parser import text_string_to_metric_families
            text = sys.stdin.buffer.read().decode('utf-8')
            families = [{
                'name': f.name, 'type': f.type, 'unit': f.unit, 'help': f.documentation,
                'samples': [{'name': s.name, 'labels': s.labels, 'value': repr(float(s.value))} for s in f.samples],
            } for f in text_string_to_metric_families(text)]
            json.dump(families, sys.stdout)
            """
        let result = try run(python(), ["-c", script, format.rawValue], stdin: exposition)
        guard result.status == 0 else {
            throw Failure(description: "prometheus_client (\(format.rawValue)) rejected the exposition: \(result.stderrText)\n---\n\(String(decoding: exposition, as: UTF8.self))")
        }
        return try JSONDecoder().decode([ParsedFamily].self, from: result.stdout)
    }

    /// prometheus_client's `floatToGoString`: its rendering of OpenMetrics canonical numbers.
    static func pythonCanonicalNumbers(_ values: [Double]) throws -> [String] {
        let script = """
            import struct, sys, json
            from prometheus_client.utils import floatToGoString
            values = [struct.unpack('>d', bytes.fromhex(h))[0] for h in sys.stdin.read().split()]
            json.dump([floatToGoString(v) for v in values], sys.stdout)
            """
        let input = values.map { value in
            let hex = String(value.bitPattern, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined(separator: "\n")
        let result = try run(python(), ["-c", script], stdin: Array(input.utf8))
        guard result.status == 0 else { throw Failure(description: "floatToGoString failed: \(result.stderrText)") }
        return try JSONDecoder().decode([String].self, from: result.stdout)
    }
}

enum ExpositionFormatName: String {
    case text
    case openmetrics
}
