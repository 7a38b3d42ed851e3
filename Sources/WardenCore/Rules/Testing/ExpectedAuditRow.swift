/// An audit row a rule test expects, on the fields written: `action`, `rule`, `kind`,
/// `decision`, `scope` (these labels among the row's), `threshold` (a ladder step's `at`, e.g.
/// `80%`), `observed` and `limit` (compared as exact decimals, so `500` matches `500.00`).
public struct ExpectedAuditRow: Sendable, CustomStringConvertible {
    public var action: String?
    public var rule: String?
    public var kind: AuditKind?
    public var decision: String?
    public var scope: [AuditLabel]
    public var threshold: String?
    public var observed: String?
    public var limit: String?

    public init(action: String? = nil, rule: String? = nil, kind: AuditKind? = nil, decision: String? = nil,
                scope: [AuditLabel] = [], threshold: String? = nil, observed: String? = nil, limit: String? = nil) {
        self.action = action
        self.rule = rule
        self.kind = kind
        self.decision = decision
        self.scope = scope
        self.threshold = threshold
        self.observed = observed
        self.limit = limit
    }

    /// The fields of `row` that differ, as `action: expected X, got Y`; empty when it matches.
    public func mismatches(_ row: AuditEvent) -> [String] {
        var problems: [String] = []
        func compare(_ field: String, _ expected: String?, _ got: String?, same: (String, String) -> Bool = { $0 == $1 }) {
            guard let expected else { return }
            guard let got, same(expected, got) else {
                problems.append("\(field): expected \(expected), got \(got ?? "nothing")")
                return
            }
        }
        compare("action", action, row.action)
        compare("rule", rule, row.rule)
        compare("kind", kind?.rawValue, row.kind.rawValue)
        compare("decision", decision, row.decision)
        compare("threshold", threshold, row.threshold, same: Self.sameThreshold)
        compare("observed", observed, row.observed, same: Self.sameAmount)
        compare("limit", limit, row.limit, same: Self.sameAmount)
        for label in scope where !row.scope.contains(label) {
            let got = row.scope.first { $0.key == label.key }?.value
            problems.append("scope \(label.key): expected \(label.value), got \(got ?? "no such label")")
        }
        return problems
    }

    /// Compares produced rows with the expected ones: the same number of rows, each matching its
    /// counterpart in order. One message per problem, quoting the rows that were produced.
    public static func mismatches(expected: [ExpectedAuditRow], got rows: [AuditEvent]) -> [String] {
        let listing = rows.isEmpty ? "none" : rows.map { "\n      \($0.summaryLine)" }.joined()
        guard expected.count == rows.count else {
            return ["audit rows: expected \(expected.count), got \(rows.count): \(listing)"]
        }
        var problems: [String] = []
        for (index, (want, row)) in zip(expected, rows).enumerated() {
            let fields = want.mismatches(row)
            if !fields.isEmpty {
                problems.append("audit row \(index): \(fields.joined(separator: "; ")) (row: \(row.summaryLine))")
            }
        }
        return problems
    }

    /// The fields as written: `{action: threshold_crossed_up, rule: team-budgets}`.
    public var description: String {
        var fields: [String] = []
        if let action { fields.append("action: \(action)") }
        if let rule { fields.append("rule: \(rule)") }
        if let kind { fields.append("kind: \(kind.rawValue)") }
        if let decision { fields.append("decision: \(decision)") }
        if !scope.isEmpty { fields.append("scope: {\(scope.map { "\($0.key): \($0.value)" }.joined(separator: ", "))}") }
        if let threshold { fields.append("threshold: \(threshold)") }
        if let observed { fields.append("observed: \(observed)") }
        if let limit { fields.append("limit: \(limit)") }
        return "{\(fields.joined(separator: ", "))}"
    }

    /// Exact decimals compare by value (`500` = `500.000`); anything else (a two-unit budget's
    /// `"12.5 3000"`) by text.
    static func sameAmount(_ expected: String, _ got: String) -> Bool {
        if expected == got { return true }
        guard let lhs = try? Money.parse(expected), let rhs = try? Money.parse(got) else { return false }
        return lhs.money == rhs.money
    }

    static func sameThreshold(_ expected: String, _ got: String) -> Bool {
        if expected == got { return true }
        guard let lhs = try? ThresholdPercent(parsing: expected), let rhs = try? ThresholdPercent(parsing: got) else { return false }
        return lhs == rhs
    }
}
