/// Reads `promtool tsdb dump` lines: `{__name__="x", a="b"} 1.5 1700000000000`, label values quoted
/// by Go's `strconv.Quote`.
struct DumpedSample: Hashable, CustomStringConvertible {
    var name: String
    var labels: [String: String]
    /// The bit pattern, so that NaN compares equal to NaN.
    var valueBits: UInt64

    init(name: String, labels: [String: String], value: Double) {
        self.name = name
        self.labels = labels
        valueBits = value.isNaN ? Double.nan.bitPattern : value.bitPattern
    }

    var description: String { "\(name)\(labels.sorted { $0.key < $1.key }) \(Double(bitPattern: valueBits))" }

    /// What Prometheus stores for a parsed sample: labels with an empty value do not exist there.
    init(storing sample: ParsedSample) {
        self.init(name: sample.name, labels: sample.labels.filter { !$0.value.isEmpty }, value: sample.value)
    }

    init?(dumpLine line: String) {
        var bytes = Array(line.utf8)[...]
        guard bytes.popFirst() == UInt8(ascii: "{") else { return nil }
        var labels: [String: String] = [:]
        while let first = bytes.first, first != UInt8(ascii: "}") {
            if first == UInt8(ascii: ",") || first == UInt8(ascii: " ") { bytes.removeFirst(); continue }
            guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else { return nil }
            let name = String(decoding: bytes[..<equals], as: UTF8.self)
            bytes = bytes[(equals + 1)...]
            guard let value = Self.goUnquote(&bytes) else { return nil }
            labels[name] = value
        }
        bytes = bytes.dropFirst()  // "}"
        let fields = String(decoding: bytes, as: UTF8.self).split(separator: " ")
        guard fields.count == 2, let name = labels.removeValue(forKey: "__name__"), let value = Double(fields[0]) else { return nil }
        self.init(name: name, labels: labels, value: value)
    }

    /// Consumes one Go-quoted string (`strconv.Quote`): `\xHH` for control bytes, `\uHHHH` and
    /// `\UHHHHHHHH` for other unprintable runes, and the usual single-letter escapes.
    private static func goUnquote(_ bytes: inout ArraySlice<UInt8>) -> String? {
        guard bytes.popFirst() == UInt8(ascii: "\"") else { return nil }
        var result: [UInt8] = []
        while let byte = bytes.popFirst() {
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: result, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escape = bytes.popFirst() else { return nil }
                switch escape {
                case UInt8(ascii: "a"): result.append(0x07)
                case UInt8(ascii: "b"): result.append(0x08)
                case UInt8(ascii: "f"): result.append(0x0C)
                case UInt8(ascii: "n"): result.append(0x0A)
                case UInt8(ascii: "r"): result.append(0x0D)
                case UInt8(ascii: "t"): result.append(0x09)
                case UInt8(ascii: "v"): result.append(0x0B)
                case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let digits = escape == UInt8(ascii: "x") ? 2 : escape == UInt8(ascii: "u") ? 4 : 8
                    guard bytes.count >= digits, let code = UInt32(String(decoding: bytes.prefix(digits), as: UTF8.self), radix: 16) else { return nil }
                    bytes = bytes.dropFirst(digits)
                    if escape == UInt8(ascii: "x") {
                        result.append(UInt8(code))
                    } else {
                        guard let scalar = Unicode.Scalar(code) else { return nil }
                        result.append(contentsOf: Array(String(Character(scalar)).utf8))
                    }
                default:
                    result.append(escape)  // \\ and \"
                }
            default:
                result.append(byte)
            }
        }
        return nil
    }
}
