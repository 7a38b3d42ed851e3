import WardenCore

/// String scanning: escapes, control characters and UTF-8 validation in one pass.
///
/// Strings are validated here, once, so that turning a node into a `String` later is a plain
/// copy (or an unescape) that cannot fail. Lone surrogates in `\u` escapes are rejected: they
/// cannot be represented in a Swift `String` and no legitimate client sends them.
extension JSONParser {
    /// Scans the string whose opening quote is at ``position`` and appends its node.
    @inline(__always)
    mutating func parseString(into nodes: inout JSONTape) throws(JSONSyntaxError) {
        let contentStart = position + 1
        let (contentEnd, flags) = try scanString()
        nodes.append(JSONNode(kind: .string, flags: flags, start: contentStart, end: contentEnd,
                              next: UInt32(truncatingIfNeeded: nodes.count + 1)))
    }

    /// Validates the string whose opening quote is at ``position`` and leaves ``position`` after
    /// its closing quote; returns the closing quote's offset and the node flags.
    @inline(__always)
    mutating func scanString() throws(JSONSyntaxError) -> (contentEnd: Int, flags: UInt8) {
        let openingQuote = position
        let contentStart = position + 1
        var flags: UInt8 = 0
        // A local cursor lets the compiler keep it in a register through the scan loops.
        var cursor = contentStart
        while true {
            // Eight bytes at a time, jumping straight to the first one that needs a closer look.
            while cursor + 8 <= end {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + cursor).loadUnaligned(as: UInt64.self))
                let attention = JSONParser.attentionMask(word)
                if attention != 0 {
                    cursor += attention.trailingZeroBitCount >> 3
                    break
                }
                cursor += 8
            }
            guard cursor < end else {
                throw error("unterminated string", at: openingQuote)
            }
            let byte = base[cursor]
            if byte == UInt8(ascii: "\"") {
                break
            } else if byte >= 0x20 && byte < 0x80 && byte != UInt8(ascii: "\\") {
                cursor += 1
            } else {
                position = cursor
                if byte == UInt8(ascii: "\\") {
                    flags = JSONNode.flagEscaped
                    try skipEscape(openingQuote: openingQuote)
                } else if byte < 0x20 {
                    throw error("control character in string")
                } else {
                    try skipMultiByteScalar()
                }
                cursor = position
            }
        }
        position = cursor + 1
        return (cursor, flags)
    }

    /// The high bit of each byte of `word` (first byte of memory in the low bits) that is `"`,
    /// `\`, a control character or non-ASCII, using the classic "has zero byte" / "has byte less
    /// than n" tricks. Borrows can flag extra bytes only *above* a flagged one, so the lowest set
    /// bit always marks the first byte that really needs attention.
    @inline(__always)
    static func attentionMask(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote
        let hasBackslash = (backslash &- ones) & ~backslash
        let hasControl = (word &- ones &* 0x20) & ~word
        return (hasQuote | hasBackslash | hasControl | word) & high
    }

    /// Validates the escape at ``position`` (a backslash) and steps over it.
    @inline(never)
    private mutating func skipEscape(openingQuote: Int) throws(JSONSyntaxError) {
        guard position + 1 < end else { throw error("unterminated string", at: openingQuote) }
        switch base[position + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
             UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            position += 2
        case UInt8(ascii: "u"):
            let unit = try hexQuad(at: position + 2)
            if unit >= 0xD800 && unit <= 0xDBFF {
                guard position + 7 < end, base[position + 6] == UInt8(ascii: "\\"), base[position + 7] == UInt8(ascii: "u")
                else { throw error("invalid \\u escape: unpaired surrogate") }
                let low = try hexQuad(at: position + 8)
                guard low >= 0xDC00 && low <= 0xDFFF else { throw error("invalid \\u escape: unpaired surrogate") }
                position += 12
            } else if unit >= 0xDC00 && unit <= 0xDFFF {
                throw error("invalid \\u escape: unpaired surrogate")
            } else {
                position += 6
            }
        default:
            throw error("invalid escape")
        }
    }

    /// The four hex digits at `offset`, or an error pointing at the escape's backslash.
    private func hexQuad(at offset: Int) throws(JSONSyntaxError) -> UInt32 {
        guard offset + 4 <= end else { throw error("invalid \\u escape: expected 4 hex digits") }
        var value: UInt32 = 0
        for index in offset..<(offset + 4) {
            guard let digit = JSONParser.hexValue(base[index]) else {
                throw error("invalid \\u escape: expected 4 hex digits")
            }
            value = value << 4 | digit
        }
        return value
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// Validates one well-formed UTF-8 sequence of 2–4 bytes (Unicode Table 3-7: no overlong
    /// forms, no surrogates, nothing above U+10FFFF) and steps over it. Errors point at the
    /// sequence's first byte.
    @inline(never)
    private mutating func skipMultiByteScalar() throws(JSONSyntaxError) {
        let lead = base[position]
        let length: Int
        var secondLow: UInt8 = 0x80
        var secondHigh: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondLow = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondHigh = 0x9F
        case 0xF0: length = 4; secondLow = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondHigh = 0x8F
        default: throw error("invalid UTF-8")
        }
        guard position + length <= end else { throw error("invalid UTF-8") }
        let second = base[position + 1]
        guard second >= secondLow && second <= secondHigh else { throw error("invalid UTF-8") }
        for index in 2..<length where base[position + index] & 0xC0 != 0x80 {
            throw error("invalid UTF-8")
        }
        position += length
    }
}
