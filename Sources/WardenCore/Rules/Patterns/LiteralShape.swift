/// The pattern shapes rule authors write most, matched by comparing UTF-8 bytes.
///
/// Why: a decision has a budget of about 5 µs, and a byte comparison of a short literal takes tens
/// of nanoseconds. Recognised on the parsed pattern, so spelling does not matter (`gpt-4[.]1`,
/// `gpt-4\.1` and `(gpt-4\.1)` are the same literal); a leading `^` and a trailing `$` are dropped
/// first (they add nothing to a whole-value match):
///
/// | pattern | a value matches when it |
/// |---|---|
/// | `lit`, `a\|b`, `(a\|b)` | equals one of the literals |
/// | `lit.*`, `(a\|b).*` | starts with one |
/// | `.*lit`, `.*(a\|b)` | ends with one |
/// | `.*lit.*`, `.*(a\|b).*` | contains one |
///
/// Byte comparison gives exactly the NFA's answer: patterns match Unicode scalars (no canonical
/// equivalence), `.` matches every scalar, and UTF-8 is self-synchronising, so a literal found in
/// a value's bytes always starts and ends on scalar boundaries.
struct LiteralShape: Sendable, Equatable {
    enum Place: Sendable, Equatable {
        case whole, prefix, suffix, anywhere
    }

    let place: Place
    let literals: [[UInt8]]

    init?(_ syntax: PatternSyntax) {
        var items = syntax.items
        if items.first == .start { items.removeFirst() }
        if items.last == .end { items.removeLast() }
        let leading = items.first == .anything
        if leading { items.removeFirst() }
        let trailing = items.last == .anything
        if trailing { items.removeLast() }
        let branches: [[PatternSyntax]]
        if items.count == 1, case .alternation(let alternatives) = items[0] {
            branches = alternatives.map(\.items)
        } else {
            branches = [items]
        }
        var literals: [[UInt8]] = []
        for branch in branches {
            var text = ""
            for item in branch {
                guard case .scalar(let scalar) = item else { return nil }
                text.unicodeScalars.append(scalar)
            }
            literals.append(Array(text.utf8))
        }
        self.literals = literals
        switch (leading, trailing) {
        case (false, false): place = .whole
        case (false, true): place = .prefix
        case (true, false): place = .suffix
        case (true, true): place = .anywhere
        }
    }

    func matches(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        for literal in literals {
            let count = literal.count
            switch place {
            case .whole:
                if value.count == count, Self.equal(value, at: 0, literal) { return true }
            case .prefix:
                if value.count >= count, Self.equal(value, at: 0, literal) { return true }
            case .suffix:
                if value.count >= count, Self.equal(value, at: value.count - count, literal) { return true }
            case .anywhere:
                guard value.count >= count else { continue }
                for start in 0...(value.count - count) where Self.equal(value, at: start, literal) { return true }
            }
        }
        return false
    }

    /// Whether `literal` sits in `value` at `start` (the caller checks the length).
    @inline(__always)
    private static func equal(_ value: UnsafeBufferPointer<UInt8>, at start: Int, _ literal: [UInt8]) -> Bool {
        literal.withUnsafeBufferPointer { literal in
            for offset in 0..<literal.count where value[start + offset] != literal[offset] { return false }
            return true
        }
    }
}
