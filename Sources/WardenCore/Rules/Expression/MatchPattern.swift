/// The right side of `=~`, compiled once when the rule loads.
///
/// Why a fast path: Swift's `Regex` takes about 7 µs per `firstMatch` even for `^(a|b).*`
/// (measured, release build, Swift 6.3, x86-64), more than the whole 5 µs budget of a decision.
/// The patterns rule authors actually write are literal prefixes, exact names, substrings and
/// alternations of those, so those shapes are recognised here and matched on UTF-8 bytes; any
/// other pattern goes to `Regex`. Both paths match on Unicode scalars (RE2/CEL semantics, not
/// Swift's default grapheme clusters), which is what makes byte comparison agree with `Regex`.
struct MatchPattern: Sendable {
    enum Kind: Sendable {
        /// `^lit`, `^lit.*`, `^(a|b)`, `^(a|b).*`
        case prefix([[UInt8]])
        /// `^lit$`, `^(a|b)$`
        case exact([[UInt8]])
        /// `lit`, `lit.*`, `(a|b)`, `(a|b).*`
        case contains([[UInt8]])
        /// `lit$`, `(a|b)$`
        case suffix([[UInt8]])
        case regex(SharedRegex)
    }

    let kind: Kind

    /// Compiles `pattern`; a `Regex` syntax error is thrown as its description.
    init(_ pattern: String) throws {
        // Always compile with Regex, so that a fast-pathed pattern is also a valid Regex and
        // errors are reported the same way whichever path would run.
        let regex = try Regex(pattern).matchingSemantics(.unicodeScalar)
        kind = MatchPattern.simpleShape(of: pattern) ?? .regex(SharedRegex(regex))
    }

    /// Whether this pattern was recognised as a literal shape (for tests and diagnostics).
    var isFastPath: Bool {
        if case .regex = kind { return false }
        return true
    }

    func matches(_ subject: String) -> Bool {
        switch kind {
        case .prefix(let literals):
            return literals.contains { subject.utf8.starts(with: $0) }
        case .exact(let literals):
            return literals.contains { subject.utf8.elementsEqual($0) }
        case .suffix(let literals):
            return literals.contains { subject.utf8.count >= $0.count && subject.utf8.suffix($0.count).elementsEqual($0) }
        case .contains(let literals):
            return literals.contains { MatchPattern.bytes(subject.utf8, contain: $0) }
        case .regex(let regex):
            return ((try? regex.regex.firstMatch(in: subject)) ?? nil) != nil
        }
    }

    private static func bytes(_ haystack: String.UTF8View, contain needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        var start = haystack.startIndex
        while let found = haystack[start...].firstIndex(of: first) {
            if haystack[found...].starts(with: needle) { return true }
            start = haystack.index(after: found)
        }
        return false
    }

    /// Recognises `^?` (literal | `(` `?:`? literal (`|` literal)* `)`) (`.*` | `$`)?, where a
    /// literal is a run of non-special characters or backslash-escaped special characters.
    static func simpleShape(of pattern: String) -> Kind? {
        let scalars = Array(pattern.unicodeScalars)
        var index = 0
        let anchored = scalars.first == "^"
        if anchored { index = 1 }
        let special: Set<Unicode.Scalar> = ["\\", "^", "$", ".", "|", "?", "*", "+", "(", ")", "[", "]", "{", "}"]

        func literal() -> [UInt8]? {
            var text = ""
            while index < scalars.count {
                let scalar = scalars[index]
                if scalar == "\\" {
                    guard index + 1 < scalars.count, special.contains(scalars[index + 1]) else { return nil }
                    text.unicodeScalars.append(scalars[index + 1])
                    index += 2
                } else if special.contains(scalar) {
                    break
                } else {
                    text.unicodeScalars.append(scalar)
                    index += 1
                }
            }
            return Array(text.utf8)
        }

        var alternatives: [[UInt8]] = []
        if index < scalars.count, scalars[index] == "(" {
            index += 1
            if index + 1 < scalars.count, scalars[index] == "?" {
                guard scalars[index + 1] == ":" else { return nil }
                index += 2
            }
            while true {
                guard let alternative = literal() else { return nil }
                alternatives.append(alternative)
                guard index < scalars.count else { return nil }
                if scalars[index] == ")" { index += 1; break }
                guard scalars[index] == "|" else { return nil }
                index += 1
            }
        } else {
            guard let only = literal() else { return nil }
            alternatives.append(only)
        }
        let tail = String(String.UnicodeScalarView(scalars[index...]))
        switch (anchored, tail) {
        case (true, ""), (true, ".*"): return .prefix(alternatives)
        case (true, "$"): return .exact(alternatives)
        case (false, ""), (false, ".*"): return .contains(alternatives)
        case (false, "$"): return .suffix(alternatives)
        default: return nil
        }
    }
}

/// A compiled `Regex` shared by every thread that evaluates the rule.
///
/// `Regex<AnyRegexOutput>` is not `Sendable` only because its output type could hold
/// arbitrary values; here the regex is never mutated after `init`, and matching does not
/// mutate it (the standard library caches the lowered program behind an atomic), so sharing
/// it across threads is safe.
final class SharedRegex: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>
    init(_ regex: Regex<AnyRegexOutput>) { self.regex = regex }
}
