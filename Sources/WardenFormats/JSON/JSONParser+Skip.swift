import WardenCore

/// Validating a value without keeping it, for the members a ``JSONFieldSelection`` leaves out.
///
/// The grammar, the scanners and every message are ``JSONParser/parseValue(into:)``'s, in the
/// same order, so a skipped value is refused with the same error at the same offset as a parsed
/// one; only the tape writes are missing. Open containers are a bit stack (object or array) rather
/// than tape entries.
extension JSONParser {
    /// Validates one value starting at ``position`` (leading whitespace skipped) inside `depth`
    /// open containers, and leaves ``position`` just after it.
    mutating func skipValue(depth outerDepth: Int) throws(JSONSyntaxError) {
        var depth = outerDepth
        var open = ContainerStack()
        skipping: while true {
            skipWhitespace()
            guard position < end else { throw unexpectedEnd("expected a value") }
            switch base[position] {
            case UInt8(ascii: "\""):
                _ = try scanString()
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                _ = try scanNumber()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = base[position] == UInt8(ascii: "{")
                depth += 1
                guard depth <= maxDepth else { throw error("nesting deeper than \(maxDepth) levels") }
                open.push(isObject: isObject)
                position += 1
                skipWhitespace()
                let closer = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if position < end, base[position] == closer {
                    position += 1
                    open.pop()
                    depth -= 1
                } else if isObject {
                    guard position < end else { throw unexpectedEnd("expected a string key or '}'") }
                    guard base[position] == UInt8(ascii: "\"") else { throw error("expected a string key or '}'") }
                    try skipMemberName()
                    continue skipping
                } else {
                    continue skipping
                }
            case UInt8(ascii: "t"):
                try scanLiteral("true")
            case UInt8(ascii: "f"):
                try scanLiteral("false")
            case UInt8(ascii: "n"):
                try scanNull()
            default:
                throw error("expected a value")
            }

            while !open.isEmpty {
                skipWhitespace()
                let isObject = open.innermostIsObject
                guard position < end else {
                    throw unexpectedEnd(isObject ? "expected ',' or '}' after object member"
                                                 : "expected ',' or ']' after array element")
                }
                let byte = base[position]
                if byte == UInt8(ascii: ",") {
                    position += 1
                    if isObject {
                        skipWhitespace()
                        guard position < end else { throw unexpectedEnd("expected a string key after ','") }
                        guard base[position] == UInt8(ascii: "\"") else { throw error("expected a string key after ','") }
                        try skipMemberName()
                    }
                    continue skipping
                } else if byte == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    position += 1
                    open.pop()
                    depth -= 1
                } else {
                    throw error(isObject ? "expected ',' or '}' after object member"
                                         : "expected ',' or ']' after array element")
                }
            }
            return
        }
    }

    @inline(__always)
    private mutating func skipMemberName() throws(JSONSyntaxError) {
        _ = try scanString()
        skipWhitespace()
        guard position < end else { throw unexpectedEnd("expected ':' after object key") }
        guard base[position] == UInt8(ascii: ":") else { throw error("expected ':' after object key") }
        position += 1
    }

    /// `null`, by far the most common skipped value (a cost-map entry is mostly nulls), read as
    /// one four-byte word when it is whole.
    @inline(__always)
    private mutating func scanNull() throws(JSONSyntaxError) {
        if position + 4 <= end,
           UnsafeRawPointer(base + position).loadUnaligned(as: UInt32.self) == UInt32(littleEndian: 0x6C6C_756E) {
            position += 4
            return
        }
        try scanLiteral("null")
    }
}

/// Which kind each open container of a skipped value is, one bit per level (1: object).
private struct ContainerStack {
    private var bits: UInt64 = 0
    private var count = 0
    /// Full words of outer levels, for nesting deeper than 64 (only with a larger `maxDepth`).
    private var spilled: [UInt64] = []

    var isEmpty: Bool { count == 0 }
    var innermostIsObject: Bool { bits & 1 != 0 }

    mutating func push(isObject: Bool) {
        if count > 0 && count % 64 == 0 {
            spilled.append(bits)
            bits = 0
        }
        bits = bits << 1 | (isObject ? 1 : 0)
        count += 1
    }

    mutating func pop() {
        bits >>= 1
        count -= 1
        if count > 0 && count % 64 == 0 { bits = spilled.removeLast() }
    }
}
