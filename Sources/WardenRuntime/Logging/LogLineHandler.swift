#if canImport(Glibc)
import Glibc
#endif
import Logging
import WardenCore
import WardenFormats

/// `serve --log-format`: one line per log record on standard error, as text (swift-log's own
/// format), JSON (one object per line, for log shippers that parse JSON) or logfmt (`key=value`,
/// for Loki and friends).
///
/// The JSON and logfmt lines carry the same fields in the same order: `time` (RFC 3339, UTC),
/// `level`, `logger` (the logger's label), `msg` (logfmt) or `message` (JSON), then the record's
/// metadata. A metadata key named like one of those fields is written with a `_` prefix, so no
/// line repeats a key.
public struct LogLineHandler: LogHandler {
    public enum Format: String, CaseIterable, Sendable {
        case text, json, logfmt
    }

    /// A handler of `format` writing to standard error (text: swift-log's `StreamLogHandler`).
    public static func standardError(label: String, format: Format, level: Logger.Level) -> any LogHandler {
        switch format {
        case .text:
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        case .json, .logfmt:
            var handler = LogLineHandler(label: label, format: format, clock: SystemClock(), write: LogLineHandler.writeToStandardError)
            handler.logLevel = level
            return handler
        }
    }

    public let label: String
    public let format: Format
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let clock: any WallClock
    let write: @Sendable ([UInt8]) -> Void

    public init(label: String, format: Format, clock: any WallClock, write: @escaping @Sendable ([UInt8]) -> Void) {
        self.label = label
        self.format = format
        self.clock = clock
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let fields = merged.sorted { $0.key < $1.key }
        let line = format == .json
            ? jsonLine(level: event.level, message: "\(event.message)", fields: fields)
            : logfmtLine(level: event.level, message: "\(event.message)", fields: fields)
        write(line)
    }

    static let reserved: Set<String> = ["time", "level", "logger", "msg", "message"]

    static func fieldName(_ key: String) -> String { reserved.contains(key) ? "_" + key : key }

    func jsonLine(level: Logger.Level, message: String, fields: [(key: String, value: Logger.Metadata.Value)]) -> [UInt8] {
        var line = JSONWriter(reservingCapacity: 160)
        line.beginObject()
        line.key(literal: "time"); line.string(writing: clock.now().appendRFC3339)
        line.key(literal: "level"); line.string(level.rawValue)
        line.key(literal: "logger"); line.string(label)
        line.key(literal: "message"); line.string(message)
        for field in fields {
            line.key(Self.fieldName(field.key))
            Self.write(field.value, into: &line)
        }
        line.endObject()
        var bytes = line.bytes
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    private static func write(_ value: Logger.Metadata.Value, into line: inout JSONWriter) {
        switch value {
        case .string(let text): line.string(text)
        case .stringConvertible(let convertible): line.string(convertible.description)
        case .array(let values):
            line.beginArray()
            for value in values { write(value, into: &line) }
            line.endArray()
        case .dictionary(let members):
            line.beginObject()
            for member in members.sorted(by: { $0.key < $1.key }) {
                line.key(member.key)
                write(member.value, into: &line)
            }
            line.endObject()
        }
    }

    func logfmtLine(level: Logger.Level, message: String, fields: [(key: String, value: Logger.Metadata.Value)]) -> [UInt8] {
        var line = "time=\(clock.now().rfc3339) level=\(level.rawValue) logger=\(Self.logfmtValue(label)) msg=\(Self.logfmtValue(message))"
        for field in fields {
            line += " \(Self.logfmtKey(Self.fieldName(field.key)))=\(Self.logfmtValue(field.value.description))"
        }
        line += "\n"
        return Array(line.utf8)
    }

    /// A logfmt key: the characters a logfmt parser reads as a key (no space, `=` or `"`, nothing
    /// below U+0021); anything else becomes `_`.
    static func logfmtKey(_ key: String) -> String {
        guard !key.isEmpty else { return "_" }
        return String(String.UnicodeScalarView(key.unicodeScalars.map { scalar in
            scalar.value <= 0x20 || scalar == "=" || scalar == "\"" || scalar.value == 0x7F ? "_" : scalar
        }))
    }

    /// A logfmt value: bare when it needs no quoting, else quoted with `"`, `\` and control
    /// characters escaped (`\n`, `\t`, `\r`, `\u00XX`), so one record is always one line.
    static func logfmtValue(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.unicodeScalars.contains { scalar in
            scalar.value <= 0x20 || scalar == "=" || scalar == "\"" || scalar == "\\" || scalar.value == 0x7F
        }
        guard needsQuotes else { return value }
        var quoted = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            case "\r": quoted += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    quoted += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                } else {
                    quoted.unicodeScalars.append(scalar)
                }
            }
        }
        return quoted + "\""
    }

    /// One `write(2)` per line, so lines of concurrent threads never interleave within a line.
    @Sendable static func writeToStandardError(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 { if errno == EINTR { continue }; return }
                offset += written
            }
        }
    }
}
