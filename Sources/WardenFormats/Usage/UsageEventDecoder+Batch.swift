import WardenCore

/// Framing: finding each event's JSON value in a body, in either format, and numbering it.
///
/// Each event is parsed into the same reused tape and validated straight away, so memory stays
/// proportional to one event however large the batch, and the per-body event limit stops work
/// early instead of after parsing everything.
extension UsageEventDecoder {
    /// The scratch state of one `decode` call.
    struct Batch: ~Copyable {
        let decoder: UsageEventDecoder
        let base: UnsafePointer<UInt8>
        let count: Int
        /// The current event's parse tape, reused from one event to the next.
        var nodes = JSONTape()
        /// Attribution of the current event as (index into `schema.allowedKeys`, value); reused.
        var labels: [(key: Int, value: String)] = []
        /// The previous event's model and attribution, reused when repeated byte for byte.
        var lastModel = Memo<String>()
        var lastAttribution = Memo<Attribution>()
        /// Accepted events; abandoned as soon as any event has an error.
        var events: [UsageEvent] = []
        var errors: [UsageValidationError] = []
        /// Events seen so far, which is also the index of the next one.
        var eventCount = 0
        /// Set when an error had to be dropped because ``errors`` is full.
        var tooManyErrors = false

        init(decoder: UsageEventDecoder, base: UnsafePointer<UInt8>, count: Int) {
            self.decoder = decoder
            self.base = base
            self.count = count
            labels.reserveCapacity(8)
            // A typical event is ~300 bytes; guessing low only costs a regrowth or two.
            events.reserveCapacity(min(count / 256 + 1, decoder.maxEventsPerBody))
        }

        /// A single object, or an array of them.
        mutating func readJSON() throws(UsageDecodeError) {
            var position = skipByteOrderMark()
            position = skipWhitespace(from: position, to: count)
            guard position < count else { return }  // blank body: no events
            guard base[position] == UInt8(ascii: "[") else {
                position = try parseEvent(from: position, to: count, line: nil, enclosingDepth: 0)
                try expectEnd(at: position, to: count, line: nil)
                return
            }
            position = skipWhitespace(from: position + 1, to: count)
            guard position < count else {
                throw .malformed(offset: position, line: nil, message: "unexpected end of input, expected a value or ']'")
            }
            if base[position] == UInt8(ascii: "]") {
                try expectEnd(at: position + 1, to: count, line: nil)
                return
            }
            while true {
                // The enclosing array is one level of nesting already.
                position = try parseEvent(from: position, to: count, line: nil, enclosingDepth: 1)
                position = skipWhitespace(from: position, to: count)
                guard position < count else {
                    throw .malformed(offset: position, line: nil,
                                     message: "unexpected end of input, expected ',' or ']' after array element")
                }
                if base[position] == UInt8(ascii: "]") { break }
                guard base[position] == UInt8(ascii: ",") else {
                    throw .malformed(offset: position, line: nil, message: "expected ',' or ']' after array element")
                }
                position += 1
            }
            try expectEnd(at: position + 1, to: count, line: nil)
        }

        /// One event per line; lines holding only whitespace are skipped and not counted.
        mutating func readNDJSON() throws(UsageDecodeError) {
            var position = skipByteOrderMark()
            var line = 1
            while position < count {
                let lineEnd = endOfLine(from: position)
                let first = skipWhitespace(from: position, to: lineEnd)  // CR is whitespace, so CRLF works
                if first < lineEnd {
                    let after = try parseEvent(from: first, to: lineEnd, line: line, enclosingDepth: 0)
                    try expectEnd(at: after, to: lineEnd, line: line)
                }
                position = lineEnd + 1
                line += 1
            }
        }

        /// Parses the value at `start` into the tape, validates it as event number
        /// ``eventCount``, and returns the offset just past it.
        private mutating func parseEvent(from start: Int, to end: Int, line: Int?, enclosingDepth: Int) throws(UsageDecodeError) -> Int {
            if eventCount == decoder.maxEventsPerBody {
                errors.append(UsageValidationError(
                    index: eventCount, field: "",
                    message: "too many events in one body (at most \(decoder.maxEventsPerBody)); split the batch"))
                throw .invalid(errors)
            }
            nodes.removeAll()
            var parser = JSONParser(base: base, start: start, end: end, enclosingDepth: enclosingDepth,
                                    inputName: line == nil ? "input" : "line")
            do {
                try parser.parseValue(into: &nodes)
            } catch {
                throw .malformed(offset: error.offset, line: line, message: error.message)
            }
            readEvent()
            if tooManyErrors {
                errors.append(UsageValidationError(
                    index: eventCount, field: "",
                    message: "too many errors; stopped after \(UsageEventDecoder.maxReportedErrors)"))
                throw .invalid(errors)
            }
            eventCount += 1
            return parser.position
        }

        /// Only whitespace may follow the last value (of the body, or of an NDJSON line).
        private func expectEnd(at position: Int, to end: Int, line: Int?) throws(UsageDecodeError) {
            let rest = skipWhitespace(from: position, to: end)
            guard rest == end else {
                throw .malformed(offset: rest, line: line, message: "trailing characters after value")
            }
        }

        /// A UTF-8 byte order mark is tolerated at the very start (some Windows tools add one).
        private func skipByteOrderMark() -> Int {
            count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF ? 3 : 0
        }

        private func skipWhitespace(from start: Int, to end: Int) -> Int {
            var position = start
            while position < end {
                let byte = base[position]
                guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { break }
                position += 1
            }
            return position
        }

        /// Offset of the next `\n` at or after `start`, or ``count``; eight bytes at a time.
        private func endOfLine(from start: Int) -> Int {
            var position = start
            let ones: UInt64 = 0x0101_0101_0101_0101
            while position + 8 <= count {
                let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self) ^ (ones &* 0x0A)
                if (word &- ones) & ~word & (ones &* 0x80) != 0 { break }
                position += 8
            }
            while position < count, base[position] != 0x0A { position += 1 }
            return position
        }
    }
}
