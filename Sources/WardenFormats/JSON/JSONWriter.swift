import WardenCore

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
///
/// Why a buffer of its own and not an `[UInt8]`: every `Array.append` checks the array's
/// uniqueness and capacity, and a `/v1/check` response of ten reasons made a few hundred of them
/// — they were most of its cost. The writer is noncopyable, so its buffer has one owner and
/// needs no such check; ``bytes`` copies the text out once, at the end.
public struct JSONWriter: ~Copyable, @unchecked Sendable {
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    private var needsComma = false
    /// Where ``string(writing:)``'s contents are appended before they are escaped into the text.
    private var scratch: [UInt8] = []

    public init(reservingCapacity capacity: Int = 256) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The text written so far.
    public var bytes: [UInt8] { [UInt8](UnsafeBufferPointer(start: base, count: count)) }

    public mutating func beginObject() { separate(); put(UInt8(ascii: "{")); needsComma = false }
    public mutating func endObject() { put(UInt8(ascii: "}")); needsComma = true }
    public mutating func beginArray() { separate(); put(UInt8(ascii: "[")); needsComma = false }
    public mutating func endArray() { put(UInt8(ascii: "]")); needsComma = true }

    /// An object member's name and the `:` after it; the value follows with the next call.
    public mutating func key(_ name: String) {
        separate()
        putQuoted(name)
        put(UInt8(ascii: ":"))
        needsComma = false
    }

    /// ``key(_:)`` for a name fixed in the code: written as it is, without the escaping scan (a
    /// check response writes a dozen keys per reason). The name must need no escapes.
    public mutating func key(literal name: StaticString) {
        name.withUTF8Buffer { utf8 in
            assert(!utf8.contains(where: JSONWriter.needsEscape), "key(literal:) needs a name without escapes")
            reserve(utf8.count + 4)
            if needsComma { base[count] = UInt8(ascii: ","); count += 1 }
            base[count] = UInt8(ascii: "\"")
            count += 1
            putUnchecked(utf8)
            base[count] = UInt8(ascii: "\"")
            base[count + 1] = UInt8(ascii: ":")
            count += 2
        }
        needsComma = false
    }

    public mutating func string(_ value: String) {
        separate()
        putQuoted(value)
        needsComma = true
    }

    /// ``integer(_:)`` for the common width, without the generic path (callers in other modules
    /// got the unspecialized generic, with its witness-table calls, in `/v1/check` profiles).
    public mutating func integer(_ value: Int64) {
        separate()
        putInteger(value)
        needsComma = true
    }

    public mutating func integer(_ value: Int) { integer(Int64(value)) }

    public mutating func integer(_ value: some BinaryInteger) {
        separate()
        if value < 0 { put(UInt8(ascii: "-")) }
        if let small = UInt64(exactly: value.magnitude) {
            putDigits(small)
        } else {
            scratch.removeAll(keepingCapacity: true)
            DecimalDigits.appendDecimal(value.magnitude, to: &scratch)
            scratch.withUnsafeBufferPointer { put($0) }
        }
        needsComma = true
    }

    /// A number already in JSON number syntax, written as-is (e.g. `Money.exactDecimal`), so
    /// exact amounts never pass through `Double`. The caller vouches for the syntax.
    public mutating func number(text: String) {
        separate()
        var text = text
        text.withUTF8 { put($0) }
        needsComma = true
    }

    /// An exact amount as a JSON number, the same text as ``Money/exactDecimal``, written in
    /// place: no `String` and no intermediate buffer.
    public mutating func number(_ amount: Money) {
        separate()
        putAmount(amount)
        needsComma = true
    }

    // MARK: a string value written in parts

    /// Opens a string value to be written in parts (``stringPart(_:)-…`` calls, then
    /// ``endString()``), for values assembled from amounts and words, like a budget's
    /// `"12.50 USD and 300 tokens"`: each part goes straight into the text, where building the
    /// value first and escaping it after cost a copy and a scan per value.
    public mutating func beginString() {
        separate()
        put(UInt8(ascii: "\""))
    }

    /// An exact amount, as ``Money/exactDecimal`` writes it (digits, sign and point need no
    /// escaping).
    public mutating func stringPart(_ amount: Money) { putAmount(amount) }

    /// A whole number's digits.
    public mutating func stringPart(_ value: Int64) { putInteger(value) }

    /// Text, escaped like ``string(_:)``.
    public mutating func stringPart(_ text: String) {
        var text = text
        text.withUTF8 { putEscaped($0) }
    }

    /// Text fixed in the code, which must need no escapes.
    public mutating func stringPart(literal text: StaticString) {
        text.withUTF8Buffer { utf8 in
            assert(!utf8.contains(where: JSONWriter.needsEscape), "stringPart(literal:) needs text without escapes")
            put(utf8)
        }
    }

    public mutating func endString() {
        put(UInt8(ascii: "\""))
        needsComma = true
    }

    /// A string value whose UTF-8 `contents` appends into a buffer (an amount, a figure, a
    /// time), sparing the `String` it would otherwise be built as. What it appends is escaped
    /// like ``string(_:)``, so the output is the same as `string(text)`.
    public mutating func string(writing contents: (inout [UInt8]) -> Void) {
        separate()
        scratch.removeAll(keepingCapacity: true)
        contents(&scratch)
        put(UInt8(ascii: "\""))
        scratch.withUnsafeBufferPointer { putEscaped($0) }
        put(UInt8(ascii: "\""))
        needsComma = true
    }

    public mutating func bool(_ value: Bool) {
        separate()
        let text: StaticString = value ? "true" : "false"
        text.withUTF8Buffer { put($0) }
        needsComma = true
    }

    public mutating func null() {
        separate()
        let text: StaticString = "null"
        text.withUTF8Buffer { put($0) }
        needsComma = true
    }

    /// `value` as a string, or `null` when there is none.
    public mutating func string(orNull value: String?) {
        if let value { string(value) } else { null() }
    }

    /// A complete, already-encoded JSON value (for example a pre-rendered fragment), as-is.
    public mutating func raw(_ json: some Collection<UInt8>) {
        separate()
        if json.withContiguousStorageIfAvailable({ put($0) }) == nil {
            reserve(json.count)
            for byte in json { base[count] = byte; count += 1 }
        }
        needsComma = true
    }

    /// Object members rendered ahead of time (`"rule":"org-monthly","kind":"budget"`), placed
    /// like one more member: what is constant for a rule or a budget instance is rendered once,
    /// not again for every response. The caller vouches that `members` is well-formed.
    public mutating func members(_ members: [UInt8]) {
        members.withUnsafeBufferPointer { self.members($0) }
    }

    /// ``members(_:)`` from memory the caller keeps alive.
    public mutating func members(_ members: UnsafeBufferPointer<UInt8>) {
        guard !members.isEmpty else { return }
        separate()
        put(members)
        needsComma = true
    }

    // MARK: the buffer

    @inline(__always)
    private mutating func separate() {
        if needsComma { put(UInt8(ascii: ",")) }
    }

    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if capacity - count < extra { grow(toHold: count + extra) }
    }

    private mutating func grow(toHold needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.initialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    private mutating func put(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    private mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        reserve(bytes.count)
        putUnchecked(bytes)
    }

    /// Copies `bytes` into room already reserved.
    @inline(__always)
    private mutating func putUnchecked(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        (base + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    private mutating func putQuoted(_ value: String) {
        put(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { putEscaped($0) }
        put(UInt8(ascii: "\""))
    }

    /// UTF-8 with the escapes applied, no quotes: `"` and `\` are escaped, as are all control
    /// characters (U+0000–U+001F; `\b \f \n \r \t` in their short forms, the rest as `\u00XX`).
    /// Everything else, non-ASCII included, is copied as UTF-8.
    private mutating func putEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        for index in 0..<utf8.count where JSONWriter.needsEscape(utf8[index]) {
            put(UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            runStart = index + 1
            JSONWriter.withEscape(for: utf8[index]) { put($0) }
        }
        put(UnsafeBufferPointer(rebasing: utf8[runStart...]))
    }

    private mutating func putAmount(_ amount: Money) {
        reserve(Money.longestExactDecimal)
        count += amount.writeExactDecimal(to: base + count)
    }

    private mutating func putInteger(_ value: Int64) {
        if value < 0 { put(UInt8(ascii: "-")) }
        putDigits(value.magnitude)
    }

    private mutating func putDigits(_ value: UInt64) {
        reserve(20)
        count += DecimalDigits.writeDigits(value, to: base + count)
    }
}

extension JSONWriter {
    @inline(__always)
    static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// The escape sequence for a byte that ``needsEscape(_:)``: `\"`, `\\`, the short forms
    /// `\b \f \n \r \t`, or `\u00XX`.
    @inline(__always)
    static func withEscape(for byte: UInt8, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        let hex: StaticString = "0123456789abcdef"
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 6) { text in
            text[0] = UInt8(ascii: "\\")
            var count = 2
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): text[1] = byte
            case 0x08: text[1] = UInt8(ascii: "b")
            case 0x0C: text[1] = UInt8(ascii: "f")
            case 0x0A: text[1] = UInt8(ascii: "n")
            case 0x0D: text[1] = UInt8(ascii: "r")
            case 0x09: text[1] = UInt8(ascii: "t")
            default:
                text[1] = UInt8(ascii: "u"); text[2] = UInt8(ascii: "0"); text[3] = UInt8(ascii: "0")
                text[4] = hex.utf8Start[Int(byte >> 4)]; text[5] = hex.utf8Start[Int(byte & 0xF)]
                count = 6
            }
            body(UnsafeBufferPointer(rebasing: text[..<count]))
        }
    }
}
