import Foundation
import Logging
import Synchronization
import Testing
import WardenCore
@testable import WardenRuntime

/// `--log-format json` and `logfmt`: every record one line, every line parseable, fields in a
/// fixed order, hostile messages and metadata escaped.
@Suite struct LogLineHandlerTests {
    /// The lines a handler wrote.
    final class Lines: Sendable {
        private let written = Mutex<[String]>([])
        var all: [String] { written.withLock { $0 } }
        func append(_ bytes: [UInt8]) { written.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) } }
    }

    static func logger(_ format: LogLineHandler.Format, _ lines: Lines) -> Logger {
        Logger(label: "tokenwarden") { label in
            var handler = LogLineHandler(label: label, format: format, clock: ManualClock(1_800_000_000), write: lines.append)
            handler.logLevel = .debug
            return handler
        }
    }

    static let hostile = "quote \" backslash \\ newline \n tab \t bell \u{7} é = end"

    @Test func jsonLinesParseAsOneObjectEachWithTheFieldsFirstAndTheMetadataAfter() throws {
        let lines = Lines()
        var logger = Self.logger(.json, lines)
        logger[metadataKey: "listener"] = "main"
        logger.info("listening", metadata: ["address": "127.0.0.1:9473", "threads": "\(2)"])
        logger.warning("\(Self.hostile)", metadata: [
            "message": "a metadata key named like a field", "nested": ["list": ["a", "b"], "text": "x"],
        ])
        #expect(lines.all.count == 2)
        #expect(lines.all.allSatisfy { $0.hasSuffix("}\n") && $0.dropLast().allSatisfy { $0 != "\n" } })
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines.all[0].utf8)) as? [String: Any])
        #expect(first["time"] as? String == "2027-01-15T08:00:00Z")
        #expect(first["level"] as? String == "info")
        #expect(first["logger"] as? String == "tokenwarden")
        #expect(first["message"] as? String == "listening")
        #expect(first["address"] as? String == "127.0.0.1:9473")
        #expect(first["listener"] as? String == "main")
        #expect(lines.all[0].hasPrefix(#"{"time":"2027-01-15T08:00:00Z","level":"info","logger":"tokenwarden","message":"listening","#))
        let second = try #require(try JSONSerialization.jsonObject(with: Data(lines.all[1].utf8)) as? [String: Any])
        #expect(second["message"] as? String == Self.hostile)
        #expect(second["_message"] as? String == "a metadata key named like a field")
        let nested = try #require(second["nested"] as? [String: Any])
        #expect(nested["list"] as? [String] == ["a", "b"])
        #expect(nested["text"] as? String == "x")
    }

    @Test func logfmtLinesAreOneLineEachAndQuoteWhatNeedsQuoting() {
        let lines = Lines()
        let logger = Self.logger(.logfmt, lines)
        logger.info("listening", metadata: ["address": "127.0.0.1:9473"])
        logger.error("\(Self.hostile)", metadata: ["bad key=\"x\"": "", "level": "shadowed"])
        #expect(lines.all == [
            "time=2027-01-15T08:00:00Z level=info logger=tokenwarden msg=listening address=127.0.0.1:9473\n",
            #"time=2027-01-15T08:00:00Z level=error logger=tokenwarden msg="quote \" backslash \\ newline \n tab \t bell \u0007 é = end" bad_key__x_="" _level=shadowed"# + "\n",
        ])
    }

    @Test func theTextFormatIsSwiftLogsStreamHandler() {
        #expect(LogLineHandler.standardError(label: "t", format: .text, level: .info) is StreamLogHandler)
        #expect(LogLineHandler.standardError(label: "t", format: .json, level: .info) is LogLineHandler)
    }
}
