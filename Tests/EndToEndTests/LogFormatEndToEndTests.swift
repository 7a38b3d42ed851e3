import Foundation
import TestSupport
import Testing

/// `serve --log-format json|logfmt`: what the daemon logs from start to shutdown, read back as a
/// log shipper would.
@Suite struct LogFormatEndToEndTests {
    /// Starts, ingests an event, refuses a bad one, stops; returns the log's lines.
    static func run(format: String) async throws -> [Substring] {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database, extraArguments: ["--log-format", format, "--log-level", "debug"])
        let accepted = try await HTTP.postJSON("\(warden.baseURL)/v1/usage", usageEvent("log-1"))
        #expect(accepted.status == 200)
        #expect(await warden.stop() == 0)
        let log = try String(contentsOfFile: warden.logPath, encoding: .utf8)
        return log.split(separator: "\n")
    }

    @Test func everyJSONLogLineIsAnObjectWithTimeLevelLoggerAndMessage() async throws {
        let lines = try await Self.run(format: "json")
        #expect(lines.count >= 3)
        var messages: [String] = []
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object != nil, "not a JSON object: \(line)")
            guard let object else { continue }
            for field in ["time", "level", "logger", "message"] {
                #expect(object[field] is String, "\(field) missing in \(line)")
            }
            messages.append(object["message"] as? String ?? "")
            if object["message"] as? String == "listening" {
                #expect((object["address"] as? String)?.hasPrefix("127.0.0.1:") == true)
            }
        }
        #expect(messages.contains("listening"))
    }

    @Test func everyLogfmtLineIsKeyValuePairsStartingWithTimeLevelLoggerAndMsg() async throws {
        let lines = try await Self.run(format: "logfmt")
        #expect(lines.count >= 3)
        // key=bare or key="quoted with \" escapes", separated by single spaces.
        let pair = #/([^ ="]+)=("(?:[^"\\]|\\.)*"|[^ "]*)/#
        for line in lines {
            var keys: [Substring] = []
            var rest = line[...]
            while let match = rest.prefixMatch(of: pair) {
                keys.append(match.output.1)
                rest = rest[match.range.upperBound...]
                if rest.first == " " { rest = rest.dropFirst() }
            }
            #expect(rest.isEmpty, "unparsed logfmt: \(rest) in \(line)")
            #expect(Array(keys.prefix(4)) == ["time", "level", "logger", "msg"], "\(line)")
        }
        #expect(lines.contains { $0.contains(" msg=listening ") })
    }

    @Test func anUnknownLogFormatIsRefusedNamingTheChoices() throws {
        let result = try Tools.run(executable: WardenProcess.binaryPath, ["serve", "--log-format", "xml"])
        #expect(result.status != 0)
        #expect(result.output.contains("xml") && result.output.contains("json") && result.output.contains("logfmt"), "\(result.output)")
    }
}
