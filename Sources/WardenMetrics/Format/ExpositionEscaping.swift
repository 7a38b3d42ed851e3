/// The escaping rules of the two text formats, in one place because they differ in one detail.
///
/// - Label values, both formats: `\` → `\\`, `"` → `\"`, line feed → `\n`. Every other byte,
///   including other control characters and any UTF-8, is written as is: both grammars allow it,
///   and escaping more would change the value a parser reads back.
/// - `# HELP` text, Prometheus text 0.0.4: only `\` and line feed. The 0.0.4 parser rejects `\"`
///   ("invalid escape sequence"), so a double quote must stay raw there.
/// - `# HELP` text, OpenMetrics 1.0: `\`, line feed and `"`, like a label value.
enum ExpositionEscaping {
    @inline(__always)
    static func appendLabelValue(_ value: String, to buffer: inout [UInt8]) {
        appendEscaped(value, escapingQuotes: true, to: &buffer)
    }

    static func appendHelp(_ help: String, format: ExpositionFormat, to buffer: inout [UInt8]) {
        appendEscaped(help, escapingQuotes: format == .openMetrics, to: &buffer)
    }

    @inline(__always)
    private static func appendEscaped(_ text: String, escapingQuotes: Bool, to buffer: inout [UInt8]) {
        let utf8 = text.utf8
        // Most values need no escaping: copy them in one go.
        let needsEscaping = utf8.contains { byte in
            byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\n") || (escapingQuotes && byte == UInt8(ascii: "\""))
        }
        guard needsEscaping else {
            buffer.append(contentsOf: utf8)
            return
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\\"):
                buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "\n"):
                buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\"") where escapingQuotes:
                buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "\""))
            default:
                buffer.append(byte)
            }
        }
    }
}
