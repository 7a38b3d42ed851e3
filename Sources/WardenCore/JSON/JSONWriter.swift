/// Builds JSON text straight into a byte buffer, for response bodies on the hot path.
///
/// Commas are placed automatically: the writer remembers only whether the last thing written
/// completed a value, which is all JSON's grammar needs (after `{`, `[` or a key no comma; after a
/// value, one before whatever comes next). It does not check that calls are balanced; callers are
/// code, not users.
///
/// ```swift
/// var json = JSONWriter()
/// json.beginObject()
/// json.key("results")
/// json.beginArray()
/// json.beginObject(); json.key("id"); json.string("evt-1"); json.key("status"); json.string("accepted"); json.endObject()
/// json.endArray()
/// json.endObject()
/// // json.bytes == Array(#"{"results":[{"id":"evt-1","status":"accepted"}]}"#.utf8)
/// ```
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8]
    private var needsComma = false

    public init(reservingCapacity capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func beginObject() { separate(); bytes.append(UInt8(ascii: "{")); needsComma = false }
    public mutating func endObject() { bytes.append(UInt8(ascii: "}")); needsComma = true }
    public mutating func beginArray() { separate(); bytes.append(UInt8(ascii: "[")); needsComma = false }
    public mutating func endArray() { bytes.append(UInt8(ascii: "]")); needsComma = true }

    /// An object member's name and the `:` after it; the value follows with the next call.
    public mutating func key(_ name: String) {
        separate()
        JSONWriter.appendQuoted(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// ``key(_:)`` for a name fixed in the code: written as it is, without the escaping scan (a
    /// check response writes a dozen keys per reason). The name must need no escaping.
    public mutating func key(literal name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { utf8 in
            assert(!utf8.contains(where: JSONWriter.needsEscape), "key(literal:) needs a name without escapes")
            bytes.append(contentsOf: utf8)
        }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func string(_ value: String) {
        separate()
        JSONWriter.appendQuoted(value, to: &bytes)
        needsComma = true
    }

    public mutating func integer(_ value: some BinaryInteger) {
        separate()
        JSONWriter.appendDecimal(value, to: &bytes)
        needsComma = true
    }

    /// A number already in JSON number syntax, written as-is (e.g. `Money.exactDecimal`), so
    /// exact amounts never pass through `Double`. The caller vouches for the syntax.
    public mutating func number(text: String) {
        separate()
        bytes.append(contentsOf: text.utf8)
        needsComma = true
    }

    /// An exact amount as a JSON number, the same text as ``Money/exactDecimal`` without a
    /// `String` in between.
    public mutating func number(_ amount: Money) {
        separate()
        amount.appendExactDecimal(to: &bytes)
        needsComma = true
    }

    /// A string value whose UTF-8 `contents` appends straight into the buffer (an amount, a
    /// figure), sparing the `String` it would otherwise be built as. What it appends is escaped
    /// like ``string(_:)`` if it needs to be, so the output is the same as `string(text)`.
    public mutating func string(writing contents: (inout [UInt8]) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        let start = bytes.count
        contents(&bytes)
        if bytes[start...].contains(where: JSONWriter.needsEscape) {
            let raw = Array(bytes[start...])
            bytes.removeSubrange(start...)
            raw.withUnsafeBufferPointer { JSONWriter.appendEscaped($0, to: &bytes) }
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
        needsComma = true
    }

    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
        needsComma = true
    }

    /// A complete, already-encoded JSON value (for example a pre-rendered fragment), as-is.
    public mutating func raw(_ json: some Collection<UInt8>) {
        separate()
        bytes.append(contentsOf: json)
        needsComma = true
    }

    @inline(__always)
    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// Appends `value` as a quoted JSON string: `"` and `\` are escaped, as are all control
    /// characters (U+0000–U+001F; `\b \f \n \r \t` in their short forms, the rest as `\u00XX`).
    /// Everything else, non-ASCII included, is copied as UTF-8.
    public static func appendQuoted(_ value: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { appendEscaped($0, to: &output) }
        output.append(UInt8(ascii: "\""))
    }

    @inline(__always)
    static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// The inside of ``appendQuoted(_:to:)``: UTF-8 with the escapes applied, no quotes.
    static func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var runStart = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard needsEscape(byte) else { continue }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            runStart = index + 1
            output.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): output.append(byte)
            case 0x08: output.append(UInt8(ascii: "b"))
            case 0x0C: output.append(UInt8(ascii: "f"))
            case 0x0A: output.append(UInt8(ascii: "n"))
            case 0x0D: output.append(UInt8(ascii: "r"))
            case 0x09: output.append(UInt8(ascii: "t"))
            default:
                let hex: StaticString = "0123456789abcdef"
                output.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                           hex.utf8Start[Int(byte >> 4)], hex.utf8Start[Int(byte & 0xF)]])
            }
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
    }

    /// Appends the decimal digits of `value` without going through `String`.
    public static func appendDecimal(_ value: some BinaryInteger, to output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        if magnitude == 0 { output.append(UInt8(ascii: "0")); return }
        let first = output.count
        while magnitude > 0 {
            let (quotient, digit) = magnitude.quotientAndRemainder(dividingBy: 10)
            output.append(UInt8(ascii: "0") + UInt8(digit))
            magnitude = quotient
        }
        output[first...].reverse()
    }
}
