extension AuditEvent {
    /// The threshold a budget step row concerns (`80%`, from the detail's `at`), or nil for rows
    /// that are not about a ladder step.
    public var threshold: String? {
        detail.text("at")
    }

    /// The rule and the labels it was evaluated for: `team-budgets{team=search}`; the kind stands
    /// in for the rule name on rows that have none (a reservation expiry, a reload).
    public var subject: String {
        let name = rule.isEmpty ? kind.rawValue : rule
        if scope.isEmpty { return name }
        return name + "{" + scope.map { "\($0.key)=\($0.value)" }.joined(separator: ",") + "}"
    }

    /// One line for people, as `simulate` prints it and `test rules` quotes it:
    /// `2026-03-04T10:15:00Z  team-budgets{team=search}  threshold_crossed_up 80% warn  observed=400.12 limit=500`.
    /// Amounts are the exact decimal text the rule compared, in the budget's unit.
    public var summaryLine: String {
        var what = action
        if let threshold { what += " " + threshold }
        if !decision.isEmpty { what += " " + decision }
        var line = "\(time.rfc3339)  \(subject)  \(what)"
        var amounts: [String] = []
        if let observed { amounts.append("observed=\(observed)") }
        if let limit { amounts.append("limit=\(limit)") }
        if !amounts.isEmpty { line += "  " + amounts.joined(separator: " ") }
        return line
    }
}
