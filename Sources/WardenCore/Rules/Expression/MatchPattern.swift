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
        if case .regex(let shared) = kind {
            return ((try? shared.regex.firstMatch(in: subject)) ?? nil) != nil
        }
        // Native strings (everything decoded from a request) are contiguous UTF-8; comparing
        // raw bytes is several times faster than walking `String.UTF8View` indices.
        if let result = subject.utf8.withContiguousStorageIfAvailable({ matchesLiterals(in: $0) }) {
            return result
        }
        return Array(subject.utf8).withUnsafeBufferPointer { matchesLiterals(in: $0) }
    }

    private func matchesLiterals(in subject: UnsafeBufferPointer<UInt8>) -> Bool {
        switch kind {
        case .prefix(let literals):
            return literals.contains { subject.count >= $0.count && MatchPattern.equal(subject, from: 0, $0) }
        case .exact(let literals):
            return literals.contains { subject.count == $0.count && MatchPattern.equal(subject, from: 0, $0) }
        case .suffix(let literals):
            return literals.contains { subject.count >= $0.count && MatchPattern.equal(subject, from: subject.count - $0.count, $0) }
        case .contains(let literals):
            return literals.contains { literal in
                guard subject.count >= literal.count else { return false }
                for start in 0...(subject.count - literal.count) where MatchPattern.equal(subject, from: start, literal) {
                    return true
                }
                return false
            }
        case .regex:
            return false  // handled by the caller
        }
    }

    /// Whether `literal` occurs in `subject` at `start` (the caller checks the length).
    private static func equal(_ subject: UnsafeBufferPointer<UInt8>, from start: Int, _ literal: [UInt8]) -> Bool {
        for offset in 0..<literal.count where subject[start + offset] != literal[offset] { return false }
        return true
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
