/// Which requests a budget (or quota) applies to, by their attribution labels.
///
/// `{org: acme, team: search}` requires both labels with those values; `"*"` requires the label
/// to be present with any value; `{regex: "search-.*"}` requires a value the pattern matches as
/// a whole, as in PromQL (see ``AnchoredPattern``). A label not named is not constrained.
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
