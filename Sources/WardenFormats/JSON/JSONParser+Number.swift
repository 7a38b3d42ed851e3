import WardenCore

/// Number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, checked but not
/// converted. The node keeps the text; ``JSONIntegerReading`` or `Money.parse` interpret it
/// exactly when asked, so no number ever goes through `Double` on its way in.
extension JSONParser {
    @inline(__always)
    mutating func parseNumber(into nodes: inout JSONTape) throws(JSONSyntaxError) {
        let start = position
        let flags = try scanNumber()
        nodes.append(JSONNode(kind: .number, flags: flags, start: start, end: position,
                              next: UInt32(truncatingIfNeeded: nodes.count + 1)))
    }

    /// Validates the number at ``position``, leaves ``position`` after it and returns its flags.
    @inline(__always)
    mutating func scanNumber() throws(JSONSyntaxError) -> UInt8 {
        let start = position
        if base[position] == UInt8(ascii: "-") { position += 1 }
        guard position < end, JSONParser.isDigit(base[position]) else {
            throw error("expected a digit after '-'")
        }
        if base[position] == UInt8(ascii: "0") {
            position += 1
            if position < end, JSONParser.isDigit(base[position]) {
                throw error("leading zeros are not allowed", at: start)
            }
        } else {
            skipDigits()
        }
        var flags = JSONNode.flagPlainInteger
        if position < end, base[position] == UInt8(ascii: ".") {
            flags = 0
            position += 1
            guard position < end, JSONParser.isDigit(base[position]) else {
                throw error("expected a digit after the decimal point")
            }
            skipDigits()
        }
        if position < end, base[position] | 0x20 == UInt8(ascii: "e") {
            flags = 0
            position += 1
            if position < end, base[position] == UInt8(ascii: "+") || base[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < end, JSONParser.isDigit(base[position]) else {
                throw error("expected a digit in the exponent")
            }
            skipDigits()
        }
        return flags
    }

    @inline(__always)
    private mutating func skipDigits() {
        var cursor = position
        while cursor < end, JSONParser.isDigit(base[cursor]) { cursor += 1 }
        position = cursor
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }
}
