import WardenCore

/// How a scoped key binds what it reports and checks: a key scoped `team=search` may only
/// speak for `team=search`.
extension APIKey {
    /// Fills the labels of the key's scope that `attribution` lacks, and returns the scope's
    /// labels that `attribution` contradicts (then the request must be refused whole, and
    /// `attribution` is left as it was). Unscoped keys change nothing.
    public func bind(_ attribution: inout Attribution) -> [Attribution.Label] {
        guard !scope.isEmpty else { return [] }
        var conflicts: [Attribution.Label] = []
        for label in scope.labels {
            if let given = attribution[label.key], given != label.value { conflicts.append(label) }
        }
        guard conflicts.isEmpty else { return conflicts }
        for label in scope.labels where attribution[label.key] == nil { attribution[label.key] = label.value }
        return []
    }

    /// The message for a contradicted scope label, under the field `attribution.<key>`.
    public static func scopeConflictMessage(_ label: Attribution.Label) -> String {
        "key is scoped to \(label.key)=\(label.value)"
    }

    /// Whether a row about `labels` (an audit row's scope, a budget instance's labels) lies inside
    /// the key's scope: it names every label of the scope with the scope's value. A row about a
    /// wider scope (the whole org) is outside, since it sums other teams' usage too.
    public func covers(_ labels: [AuditLabel]) -> Bool {
        scope.labels.allSatisfy { label in labels.contains { $0.key == label.key && $0.value == label.value } }
    }
}
