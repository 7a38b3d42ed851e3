/// Parses the regular-expression syntax rules accept (RE2's, as PromQL uses it, without the parts
/// that cannot run in linear time or make no sense for whole-value matching) into a
/// ``PatternSyntax``.
///
/// ```
/// alternation   = concatenation { "|" concatenation }
/// concatenation = { atom [ quantifier ] }
/// atom          = scalar | "." | "^" | "$" | class | escape
///               | "(" alternation ")" | "(?:" alternation ")" | "(?P<name>" alternation ")"
/// quantifier    = ( "*" | "+" | "?" | "{n}" | "{n,}" | "{n,m}" ) [ "?" ]
/// class         = "[" [ "^" ] ( scalar | scalar "-" scalar | escape )+ "]"
/// escape        = "\d" "\D" "\w" "\W" "\s" "\S" "\n" "\t" "\r" "\f" "\v" "\xHH" "\x{H…}"
///               | "\" ASCII punctuation
/// ```
///
/// Everything else is an error with its offset, never a silently different meaning: a `{` that
/// does not start a counted repetition, a `[` inside a class, backreferences, lookaround, word
/// boundaries, flags, possessive quantifiers. A lazy quantifier (`*?`) is accepted and means the
/// same as the greedy one, since a whole-value match has no shorter or longer match to prefer.
///
/// Counted repetition is expanded when compiling, so it is bounded: each count is at most
/// ``maximumCount``, and the whole pattern may compile to at most
/// ``PatternProgram/maximumInstructions`` instructions (the per-scalar cost of a match).
struct PatternParser {
    /// The largest count in `{n,m}`, as in RE2.
    static let maximumCount = 1000
    /// Groups may nest this deep (the parser and the compiler recurse once per level).
    static let maximumDepth = 100

    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var depth = 0

    private init(_ pattern: String) {
        scalars = Array(pattern.unicodeScalars)
    }

    static func parse(_ pattern: String) throws(PatternError) -> PatternSyntax {
        var parser = PatternParser(pattern)
        let syntax = try parser.alternation()
        if parser.index < parser.scalars.count {
            // Only a ')' stops an alternation early.
            throw parser.error("unmatched ')' (write \\) for a literal parenthesis)", at: parser.index)
        }
        let size = PatternProgram.instructionCount(syntax)
        if size > PatternProgram.maximumInstructions {
            throw parser.error("the pattern is too large: it compiles to \(size.formatted) states, more than the "
                + "\(PatternProgram.maximumInstructions.formatted) allowed", at: 0)
        }
        return syntax
    }

    private func error(_ message: String, at offset: Int) -> PatternError {
        PatternError(offset: offset, message: message)
    }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        index + ahead < scalars.count ? scalars[index + ahead] : nil
    }

    // MARK: Structure

    private mutating func alternation() throws(PatternError) -> PatternSyntax {
        var branches = [try concatenation()]
        while peek() == "|" {
            index += 1
            branches.append(try concatenation())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func concatenation() throws(PatternError) -> PatternSyntax {
        var items: [PatternSyntax] = []
        while let scalar = peek(), scalar != "|", scalar != ")" {
            let start = index
            let atom = try self.atom()
            let item = try quantified(atom, atomStart: start)
            switch item {
            case .empty: continue
            case .concatenation(let inner): items += inner
            default: items.append(item)
            }
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concatenation(items)
        }
    }

    private mutating func atom() throws(PatternError) -> PatternSyntax {
        let start = index
        let scalar = scalars[index]
        index += 1
        switch scalar {
        case "(": return try group(openedAt: start)
        case "[": return try characterClass(openedAt: start)
        case ".": return .set(.all)
        case "^": return .start
        case "$": return .end
        case "\\":
            switch try escape(startingAt: start, inClass: false) {
            case .scalar(let value): return .scalar(value)
            case .set(let set): return .set(set)
            }
        case "*", "+", "?":
            throw error("'\(scalar)' has nothing to repeat (write \\\(scalar) for a literal '\(scalar)')", at: start)
        case "{":
            throw error("'{' has nothing to repeat (write \\{ for a literal brace)", at: start)
        default:
            return .scalar(scalar)
        }
    }

    /// After `(`: the group's kind, its alternation and the closing `)`.
    private mutating func group(openedAt start: Int) throws(PatternError) -> PatternSyntax {
        if peek() == "?" {
            let kind = peek(1)
            let after = peek(2)
            if kind == ":" {
                index += 2
            } else if (kind == "P" && after == "<") || (kind == "<" && after != "=" && after != "!") {
                // Named group, `(?P<name>…)` or `(?<name>…)`: the name only documents.
                index += kind == "P" ? 3 : 2
                let nameStart = index
                while let scalar = peek(), scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" {
                    index += 1
                }
                guard index > nameStart, peek() == ">" else {
                    throw error("a group name must be letters, digits or '_' followed by '>', as in (?P<name>…)", at: start)
                }
                index += 1
            } else if kind == "=" || kind == "!" {
                throw error("lookahead ((?=…), (?!…)) is not supported", at: start)
            } else if kind == "<" {
                throw error("lookbehind ((?<=…), (?<!…)) is not supported", at: start)
            } else if kind == ">" {
                throw error("atomic groups ((?>…)) are not supported (every pattern already runs in linear time)", at: start)
            } else if kind == "#" {
                throw error("comments ((?#…)) are not supported", at: start)
            } else {
                throw error("flags such as (?i) are not supported: spell the cases out, as in [Gg]pt, or compare lower(…) in a condition", at: start)
            }
        }
        depth += 1
        if depth > Self.maximumDepth {
            throw error("groups nest more than \(Self.maximumDepth) levels deep", at: start)
        }
        let body = try alternation()
        guard peek() == ")" else {
            throw error("missing ')' to close this group", at: start)
        }
        index += 1
        depth -= 1
        return body
    }

    // MARK: Quantifiers

    private mutating func quantified(_ atom: PatternSyntax, atomStart: Int) throws(PatternError) -> PatternSyntax {
        let quantifierStart = index
        guard let scalar = peek() else { return atom }
        let bounds: (min: Int, max: Int?)
        switch scalar {
        case "*": index += 1; bounds = (0, nil)
        case "+": index += 1; bounds = (1, nil)
        case "?": index += 1; bounds = (0, 1)
        case "{":
            guard let counted = try countedBounds() else {
                throw error("'{' must start a counted repetition such as {3}, {2,} or {2,5} (write \\{ for a literal brace)", at: quantifierStart)
            }
            bounds = counted
        default:
            return atom
        }
        if scalars[atomStart] == "^" || scalars[atomStart] == "$" {
            throw error("an anchor ('^' or '$') cannot be repeated", at: quantifierStart)
        }
        if peek() == "?" {
            index += 1  // lazy: the same set of whole matches
        } else if peek() == "+" {
            throw error("possessive quantifiers (such as *+) are not supported", at: index)
        }
        if let next = peek(), ["*", "+", "?", "{"].contains(next) {
            throw error("a quantifier cannot follow another: put the repeated part in a group, as in (a+)*", at: index)
        }
        let repeated: PatternSyntax = atom == .empty ? .empty : .repetition(atom, min: bounds.min, max: bounds.max)
        let size = PatternProgram.instructionCount(repeated)
        if size > PatternProgram.maximumInstructions {
            throw error("this repetition expands the pattern to \(size.formatted) states, more than the \(PatternProgram.maximumInstructions.formatted) allowed", at: quantifierStart)
        }
        return repeated
    }

    /// `{n}`, `{n,}` or `{n,m}` at the current `{`; nil (and nothing consumed) for anything else.
    private mutating func countedBounds() throws(PatternError) -> (min: Int, max: Int?)? {
        let start = index
        var cursor = index + 1
        func number() -> Int? {
            let first = cursor
            var value = 0
            while cursor < scalars.count, ("0"..."9").contains(scalars[cursor]) {
                value = min(value * 10 + Int(scalars[cursor].value - 48), 1_000_000)
                cursor += 1
            }
            return cursor > first ? value : nil
        }
        guard let minimum = number() else { return nil }
        var maximum: Int? = minimum
        if cursor < scalars.count, scalars[cursor] == "," {
            cursor += 1
            maximum = number()
        }
        guard cursor < scalars.count, scalars[cursor] == "}" else { return nil }
        index = cursor + 1
        for count in [minimum, maximum ?? 0] where count > Self.maximumCount {
            throw error("a repetition count is at most \(Self.maximumCount.formatted)", at: start)
        }
        if let maximum, maximum < minimum {
            throw error("in {\(minimum),\(maximum)} the minimum is above the maximum", at: start)
        }
        return (minimum, maximum)
    }

    // MARK: Classes and escapes

    private enum Escaped {
        case scalar(Unicode.Scalar)
        case set(ScalarSet)
    }

    /// After `[`: the members up to the closing `]`.
    private mutating func characterClass(openedAt start: Int) throws(PatternError) -> PatternSyntax {
        var negated = false
        if peek() == "^" {
            negated = true
            index += 1
        }
        var ranges: [ClosedRange<UInt32>] = []
        var first = true
        while true {
            guard let scalar = peek() else {
                throw error("missing ']' to close this character class", at: start)
            }
            if scalar == "]", !first {
                index += 1
                break
            }
            first = false
            if scalar == "[" {
                let message = peek(1) == ":"
                    ? "POSIX classes such as [:alpha:] are not supported: list the ranges, as in [a-zA-Z]"
                    : "write \\[ for a literal '[' inside a character class"
                throw error(message, at: index)
            }
            let memberStart = index
            let member = try classMember()
            guard peek() == "-", let next = peek(1), next != "]" else {
                switch member {
                case .scalar(let value): ranges.append(value.value...value.value)
                case .set(let set): ranges += set.ranges
                }
                continue
            }
            // A range `a-z`.
            guard case .scalar(let low) = member else {
                throw error("a range cannot start with a class such as \\d", at: memberStart)
            }
            index += 1
            if next == "[" {
                throw error("write \\[ for a literal '[' inside a character class", at: index)
            }
            guard case .scalar(let high) = try classMember() else {
                throw error("a range cannot end with a class such as \\d", at: memberStart)
            }
            guard low <= high else {
                throw error("the range \(low)-\(high) is out of order", at: memberStart)
            }
            ranges.append(low.value...high.value)
        }
        let set = negated ? ScalarSet(ranges).inverted : ScalarSet(ranges)
        if let single = set.single { return .scalar(single) }
        return .set(set)
    }

    private mutating func classMember() throws(PatternError) -> Escaped {
        let start = index
        let scalar = scalars[index]
        index += 1
        return scalar == "\\" ? try escape(startingAt: start, inClass: true) : .scalar(scalar)
    }

    /// After a backslash at `start`.
    private mutating func escape(startingAt start: Int, inClass: Bool) throws(PatternError) -> Escaped {
        guard let scalar = peek() else {
            throw error("a pattern cannot end with a lone backslash (write \\\\ for a literal one)", at: start)
        }
        index += 1
        switch scalar {
        case "d": return .set(.digits)
        case "D": return .set(ScalarSet.digits.inverted)
        case "w": return .set(.word)
        case "W": return .set(ScalarSet.word.inverted)
        case "s": return .set(.space)
        case "S": return .set(ScalarSet.space.inverted)
        case "n": return .scalar("\n")
        case "t": return .scalar("\t")
        case "r": return .scalar("\r")
        case "f": return .scalar("\u{0C}")
        case "v": return .scalar("\u{0B}")
        case "x": return .scalar(try hexEscape(startingAt: start))
        case "1"..."9":
            throw error("backreferences (\\\(scalar)) are not supported", at: start)
        case "b", "B":
            throw error("word boundaries (\\b, \\B) are not supported", at: start)
        case "A", "z", "Z":
            throw error("\\\(scalar) is not supported: use ^ and $ (a pattern always matches the whole value anyway)", at: start)
        case "p", "P":
            throw error("Unicode property classes (\\p{…}) are not supported: list the ranges in a class", at: start)
        default:
            if scalar.isASCII, !scalar.properties.isAlphabetic, !("0"..."9").contains(scalar), scalar.value > 0x20, scalar.value < 0x7F {
                return .scalar(scalar)  // escaped punctuation stands for itself
            }
            let shown = scalar.value < 0x21 || scalar.value == 0x7F ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
            throw error("unknown escape '\\\(shown)'\(inClass ? " in a character class" : "")", at: start)
        }
    }

    /// After `\x`: two hex digits, or `{…}` with one to six.
    private mutating func hexEscape(startingAt start: Int) throws(PatternError) -> Unicode.Scalar {
        var digits: [Unicode.Scalar] = []
        if peek() == "{" {
            index += 1
            while let scalar = peek(), scalar != "}" {
                digits.append(scalar)
                index += 1
            }
            guard peek() == "}" else { throw error("'\\x{' needs a closing '}'", at: start) }
            index += 1
            guard (1...6).contains(digits.count) else { throw error("'\\x{…}' takes one to six hex digits", at: start) }
        } else {
            for _ in 0..<2 {
                guard let scalar = peek() else { break }
                digits.append(scalar)
                index += 1
            }
            guard digits.count == 2 else { throw error("'\\x' takes two hex digits, or up to six in braces: \\x{1F600}", at: start) }
        }
        var value: UInt32 = 0
        for digit in digits {
            guard let nibble = digit.hexDigitValue else { throw error("'\(digit)' is not a hex digit", at: start) }
            value = value * 16 + nibble
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw error("\\x{\(String(value, radix: 16, uppercase: true))} is not a Unicode scalar", at: start)
        }
        return scalar
    }
}

extension Unicode.Scalar {
    fileprivate var hexDigitValue: UInt32? {
        switch self {
        case "0"..."9": value - 48
        case "a"..."f": value - 87
        case "A"..."F": value - 55
        default: nil
        }
    }
}

extension Int {
    /// `10000` as `10,000`, without Foundation.
    fileprivate var formatted: String {
        let digits = String(self)
        var result = ""
        for (position, digit) in digits.enumerated() {
            if position > 0, (digits.count - position) % 3 == 0 { result += "," }
            result.append(digit)
        }
        return result
    }
}
