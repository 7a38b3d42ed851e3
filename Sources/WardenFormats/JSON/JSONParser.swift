import WardenCore

/// A strict RFC 8259 parser that writes one JSON value as a flat tape of ``JSONNode``s.
///
/// Hand-written rather than Foundation's `JSONSerialization` or `JSONDecoder` because the ingest
/// path needs things they do not give: byte offsets in error messages, number *text* (token
/// counts and prices must never pass through `Double`), no per-value boxing, and a hard nesting
/// limit so a hostile body such as `[[[[…` cannot exhaust the stack. The parser is iterative:
/// open containers are chained through their tape entries, so depth costs no stack at all and the
/// limit exists only to bound the work a client can demand.
///
/// It reads through a raw pointer for speed; callers own the memory and keep it alive for the
/// duration of ``parseValue(into:)`` (every entry point in this module does so inside a
/// `withUnsafe…` scope). It never reads at or past ``end``.
struct JSONParser {
    static let defaultMaxDepth = JSONDocument.defaultMaxDepth

    let base: UnsafePointer<UInt8>
    /// One past the last byte the parser may read (an absolute offset from ``base``).
    let end: Int
    let maxDepth: Int
    /// Containers already open around the value being parsed (the array around a batch's
    /// events), so the limit means the same wherever parsing starts.
    let enclosingDepth: Int
    /// What error messages call the end of the input: "input" for a document, "line" for NDJSON.
    let inputName: StaticString
    /// The next byte to read (an absolute offset from ``base``; errors report offsets from it).
    var position: Int
    /// The members to keep; the others are validated and skipped (``JSONFieldSelection``).
    let selection: JSONFieldSelection?

    init(base: UnsafePointer<UInt8>, start: Int, end: Int, maxDepth: Int = JSONParser.defaultMaxDepth,
         enclosingDepth: Int = 0, inputName: StaticString = "input", selection: JSONFieldSelection? = nil) {
        self.enclosingDepth = enclosingDepth
        self.base = base
        self.position = start
        self.end = end
        self.maxDepth = maxDepth
        self.inputName = inputName
        self.selection = selection
    }

    /// Sentinel for "no enclosing container" in a still-open container's ``JSONNode/next``.
    private static let noParent = UInt32.max

    /// Parses exactly one value starting at ``position`` (leading whitespace skipped), appending
    /// its nodes to `nodes`, and leaves ``position`` just after it. Trailing bytes are the
    /// caller's business: a document wants none, an array of events wants `,` or `]`.
    mutating func parseValue(into nodes: inout JSONTape) throws(JSONSyntaxError) {
        var parent = -1
        var depth = enclosingDepth
        // Children of the innermost open container so far. An open container's own `count`
        // field holds its parent's running count meanwhile, so counting costs no tape writes.
        var count: UInt32 = 0
        // What is kept of the innermost open container, and of the value about to be parsed. An
        // open container's own `end` field holds its parent's place meanwhile.
        var place = JSONFieldSelection.Place.whole
        var pending = selection?.root ?? .whole
        parsing: while true {
            // A value is expected here.
            skipWhitespace()
            guard position < end else { throw unexpectedEnd("expected a value") }
            count &+= 1
            switch base[position] {
            case UInt8(ascii: "\""):
                try parseString(into: &nodes)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try parseNumber(into: &nodes)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = base[position] == UInt8(ascii: "{")
                depth += 1
                guard depth <= maxDepth else { throw error("nesting deeper than \(maxDepth) levels") }
                let index = nodes.count
                nodes.append(JSONNode(
                    kind: isObject ? .object : .array, start: position, end: Int(place.index),
                    next: parent < 0 ? JSONParser.noParent : UInt32(truncatingIfNeeded: parent), count: count))
                parent = index
                place = pending
                count = 0
                position += 1
                skipWhitespace()
                let closer = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if position < end, base[position] == closer {
                    position += 1
                    close(&parent, &depth, &count, &place, in: &nodes)
                } else if isObject {
                    guard position < end else { throw unexpectedEnd("expected a string key or '}'") }
                    guard base[position] == UInt8(ascii: "\"") else { throw error("expected a string key or '}'") }
                    if let selected = try parseMember(in: place, depth: depth, into: &nodes) {
                        pending = selected
                        continue parsing
                    }
                    close(&parent, &depth, &count, &place, in: &nodes)
                } else {
                    pending = selection?.elements(of: place) ?? .whole
                    continue parsing
                }
            case UInt8(ascii: "t"):
                try parseLiteral("true", .true, into: &nodes)
            case UInt8(ascii: "f"):
                try parseLiteral("false", .false, into: &nodes)
            case UInt8(ascii: "n"):
                try parseLiteral("null", .null, into: &nodes)
            default:
                throw error("expected a value")
            }

            // A value just ended: continue or close the enclosing containers.
            while parent >= 0 {
                skipWhitespace()
                let isObject = nodes[parent].kind == .object
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
                        if let selected = try parseMember(in: place, depth: depth, into: &nodes) {
                            pending = selected
                            continue parsing
                        }
                        close(&parent, &depth, &count, &place, in: &nodes)
                    } else {
                        pending = selection?.elements(of: place) ?? .whole
                        continue parsing
                    }
                } else if byte == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    position += 1
                    close(&parent, &depth, &count, &place, in: &nodes)
                } else {
                    throw error(isObject ? "expected ',' or '}' after object member"
                                         : "expected ',' or ']' after array element")
                }
            }
            return
        }
    }

    /// Parses the member whose name's opening quote is at ``position`` up to its value, and
    /// returns what is kept of that value. A member `place` does not keep is validated and
    /// dropped, name included, and so are the ones after it, until a kept one (returned) or the
    /// object's `}` (consumed; `nil` returned).
    @inline(__always)
    private mutating func parseMember(in place: JSONFieldSelection.Place, depth: Int,
                                      into nodes: inout JSONTape) throws(JSONSyntaxError) -> JSONFieldSelection.Place? {
        while true {
            try parseMemberName(into: &nodes)
            guard let selection, !place.keepsWhole else { return .whole }
            if let selected = selectedPlace(of: nodes[nodes.count - 1], in: place, selection) { return selected }
            nodes.removeLast()
            try skipValue(depth: depth)
            skipWhitespace()
            guard position < end else { throw unexpectedEnd("expected ',' or '}' after object member") }
            if base[position] == UInt8(ascii: "}") {
                position += 1
                return nil
            }
            guard base[position] == UInt8(ascii: ",") else { throw error("expected ',' or '}' after object member") }
            position += 1
            skipWhitespace()
            guard position < end else { throw unexpectedEnd("expected a string key after ','") }
            guard base[position] == UInt8(ascii: "\"") else { throw error("expected a string key after ','") }
        }
    }

    private func selectedPlace(of name: JSONNode, in place: JSONFieldSelection.Place,
                               _ selection: JSONFieldSelection) -> JSONFieldSelection.Place? {
        guard name.isEscaped else {
            return selection.member(UnsafeBufferPointer(start: base + Int(name.start), count: name.byteCount), of: place)
        }
        var text = name.string(in: base)
        return text.withUTF8 { selection.member($0, of: place) }
    }

    /// Parses `"name"` and the `:` after it, leaving ``position`` before the member's value.
    @inline(__always)
    private mutating func parseMemberName(into nodes: inout JSONTape) throws(JSONSyntaxError) {
        try parseString(into: &nodes)
        skipWhitespace()
        guard position < end else { throw unexpectedEnd("expected ':' after object key") }
        guard base[position] == UInt8(ascii: ":") else { throw error("expected ':' after object key") }
        position += 1
    }

    /// Finishes the container at `parent` (whose closing bracket was just consumed).
    private func close(_ parent: inout Int, _ depth: inout Int, _ count: inout UInt32, _ place: inout JSONFieldSelection.Place,
                       in nodes: inout JSONTape) {
        let enclosing = nodes[parent].next
        let enclosingCount = nodes[parent].count
        place = JSONFieldSelection.Place(index: nodes[parent].end)
        nodes[parent].next = UInt32(truncatingIfNeeded: nodes.count)
        nodes[parent].end = UInt32(truncatingIfNeeded: position)
        nodes[parent].count = count
        count = enclosingCount
        parent = enclosing == JSONParser.noParent ? -1 : Int(enclosing)
        depth -= 1
    }

    private mutating func parseLiteral(_ literal: StaticString, _ kind: JSONNode.Kind,
                                       into nodes: inout JSONTape) throws(JSONSyntaxError) {
        let start = position
        try scanLiteral(literal)
        nodes.append(JSONNode(kind: kind, start: start, end: position,
                              next: UInt32(truncatingIfNeeded: nodes.count + 1)))
    }

    /// Checks that `literal` is at ``position`` and steps over it.
    @inline(__always)
    mutating func scanLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let count = literal.utf8CodeUnitCount
        let text = literal.utf8Start
        for index in 0..<count {
            guard position + index < end, base[position + index] == text[index] else {
                throw error("invalid literal (expected true, false or null)")
            }
        }
        position += count
    }

    /// Skips the four JSON whitespace bytes (space, tab, LF, CR) and nothing else.
    @inline(__always)
    mutating func skipWhitespace() {
        var cursor = position
        while cursor < end {
            let byte = base[cursor]
            guard byte <= 0x20, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { break }
            cursor += 1
        }
        position = cursor
    }

    func error(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(offset: offset ?? position, message: message)
    }

    func unexpectedEnd(_ expectation: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: position, message: "unexpected end of \(inputName), \(expectation)")
    }
}
