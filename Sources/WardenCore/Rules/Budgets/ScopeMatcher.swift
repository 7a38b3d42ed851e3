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

    public var conditions: [(key: String, condition: Condition)]

    public init(_ conditions: [(key: String, condition: Condition)]) {
        self.conditions = conditions.sorted { $0.key < $1.key }
    }

    public static let everything = ScopeMatcher([])

    public func matches(_ attribution: Attribution) -> Bool {
        for (key, condition) in conditions {
            guard let value = attribution[key] else { return false }
            switch condition {
            case .equals(let expected): if value != expected { return false }
            case .present: continue
            case .matches(_, let regex): if !regex.matches(value) { return false }
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
public struct AnchoredPattern: @unchecked Sendable {
    // Swift's Regex is not Sendable; it is immutable after compilation and only read here.
    private let regex: Regex<AnyRegexOutput>
    public let source: String

    public init(_ pattern: String) throws {
        source = pattern
        regex = try Regex(pattern)
    }

    public func matches(_ value: String) -> Bool {
        (try? regex.wholeMatch(in: value)) != nil
    }
}
