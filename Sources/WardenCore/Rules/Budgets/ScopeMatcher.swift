/// Which requests a budget (or quota) applies to, by their attribution labels.
///
/// `{org: acme, team: search}` requires both labels with those values; `"*"` requires the label
/// to be present with any value; `{regex: "^search-.*"}` requires a value matching the pattern,
/// fully anchored as in PromQL (`^` and `$` are implied). A label not named is not constrained.
public struct ScopeMatcher: Sendable, CustomStringConvertible {
    public enum Condition: Sendable {
        case equals(String)
        case present
        case matches(pattern: String, regex: AnchoredPattern)
    }

    public var conditions: [(key: String, condition: Condition)] {
        didSet { flattened = Flattened(conditions) }
    }
    private var flattened: Flattened

    /// The conditions as parallel arrays, which ``matches(_:)`` reads in place: iterating the
    /// enum tuples copies each payload (a string, a compiled pattern) per budget per check.
    private struct Flattened: Sendable {
        var keys: [String] = []
        /// 0 equals ``values``, 1 present, 2 matches ``patterns``.
        var kinds: [UInt8] = []
        var values: [String] = []
        var patterns: [AnchoredPattern?] = []

        init(_ conditions: [(key: String, condition: Condition)]) {
            for (key, condition) in conditions {
                keys.append(key)
                switch condition {
                case .equals(let value): kinds.append(0); values.append(value); patterns.append(nil)
                case .present: kinds.append(1); values.append(""); patterns.append(nil)
                case .matches(_, let regex): kinds.append(2); values.append(""); patterns.append(regex)
                }
            }
        }
    }

    public init(_ conditions: [(key: String, condition: Condition)]) {
        let sorted = conditions.sorted { $0.key < $1.key }
        self.conditions = sorted
        flattened = Flattened(sorted)
    }

    public static let everything = ScopeMatcher([])

    public func matches(_ attribution: Attribution) -> Bool {
        for index in flattened.keys.indices {
            guard let value = attribution[flattened.keys[index]] else { return false }
            switch flattened.kinds[index] {
            case 0: if value != flattened.values[index] { return false }
            case 2: if !flattened.patterns[index]!.matches(value) { return false }
            default: continue
            }
        }
        return true
    }

    /// `{org="acme", agent=*, team=~"^search-.*"}`: stable, so it can be part of a rule's identity.
    public var description: String {
        let terms = conditions.map { key, condition -> String in
            switch condition {
            case .equals(let value): "\(key)=\"\(value)\""
            case .present: "\(key)=*"
            case .matches(let pattern, _): "\(key)=~\"\(pattern)\""
            }
        }
        return "{" + terms.joined(separator: ", ") + "}"
    }
}

/// A regular expression matched against the whole value (PromQL semantics), compiled once.
///
/// Why a fast path: `Regex.wholeMatch` costs several microseconds per call, more than a whole
/// decision's budget, and scope patterns are usually alternations of names (`ml|data`). A pattern
/// that is exactly a printable-ASCII literal or an alternation of them is matched by comparing
/// bytes, but only against ASCII values: for those, byte equality is exactly what `Regex`'s
/// character matching answers (no canonical equivalence or grapheme clustering can apply).
/// Any other value, and any other pattern, goes to `Regex`.
public struct AnchoredPattern: @unchecked Sendable {
    // Swift's Regex is not Sendable; it is immutable after compilation and only read here.
    private let regex: Regex<AnyRegexOutput>
    public let source: String
    /// The literals a whole value must equal one of, when the pattern is that simple.
    private let literals: [[UInt8]]?

    public init(_ pattern: String) throws {
        source = pattern
        regex = try Regex(pattern)
        literals = Self.literalAlternatives(of: pattern)
    }

    /// Whether this pattern runs on byte comparisons (for tests and diagnostics).
    var isFastPath: Bool { literals != nil }

    public func matches(_ value: String) -> Bool {
        if let literals {
            var value = value
            if let result = value.withUTF8({ bytes -> Bool? in
                guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
                return literals.contains { $0.elementsEqual(bytes) }
            }) {
                return result
            }
        }
        return (try? regex.wholeMatch(in: value)) != nil
    }

    /// `lit` or `lit|lit|…`, optionally wrapped in `(…)` or `(?:…)`, where every literal is
    /// printable ASCII without regex syntax (a backslash-escaped special character counts as
    /// itself); nil for anything else.
    static func literalAlternatives(of pattern: String) -> [[UInt8]]? {
        var bytes = Array(pattern.utf8)
        if bytes.first == UInt8(ascii: "("), bytes.last == UInt8(ascii: ")") {
            bytes = Array(bytes.dropFirst().dropLast())
            if bytes.starts(with: Array("?:".utf8)) { bytes.removeFirst(2) }
        }
        let special = Set("\\^$.|?*+()[]{}".utf8)
        var alternatives: [[UInt8]] = []
        var current: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte >= 0x20, byte < 0x7F else { return nil }
            if byte == UInt8(ascii: "\\") {
                guard index + 1 < bytes.count, special.contains(bytes[index + 1]) else { return nil }
                current.append(bytes[index + 1])
                index += 2
                continue
            }
            if byte == UInt8(ascii: "|") {
                alternatives.append(current)
                current = []
            } else if special.contains(byte) {
                return nil
            } else {
                current.append(byte)
            }
            index += 1
        }
        alternatives.append(current)
        return alternatives
    }
}
