/// What a ``RuleSimulation`` found: every audit row in time order, and where each budget
/// instance stood after the last event.
public struct SimulationReport: Sendable {
    public var rows: [AuditEvent]
    public var budgets: [BudgetSnapshot]
    public var events: Int
    public var start: Timestamp?
    public var end: Timestamp?

    public init(rows: [AuditEvent], budgets: [BudgetSnapshot], events: Int, start: Timestamp?, end: Timestamp?) {
        self.rows = rows
        self.budgets = budgets
        self.events = events
        self.start = start
        self.end = end
    }

    /// One ``AuditEvent/summaryLine`` per row, then the budgets at the end:
    ///
    /// ```
    /// 2026-03-04T10:15:00Z  team-budgets{team=search}  threshold_crossed_up 80% warn  observed=400.12 limit=500
    ///
    /// 1200 events from 2026-03-01T00:02:11Z to 2026-03-31T23:58:40Z, 7 audit rows
    /// budgets at 2026-03-31T23:58:40Z:
    ///   team-budgets{team=search}  used=412.5 USD  limit=500 USD  ratio=0.825  step=warn
    /// quotas and policies: not evaluated (they answer checks; recorded usage holds none)
    /// ```
    public var text: String {
        var lines = rows.map(\.summaryLine)
        if !lines.isEmpty { lines.append("") }
        if let start, let end {
            lines.append("\(events) \(events == 1 ? "event" : "events") from \(start) to \(end), \(rows.count) audit \(rows.count == 1 ? "row" : "rows")")
            lines.append("budgets at \(end):")
        } else {
            lines.append("no events")
        }
        for budget in budgets {
            let labels = budget.labels.isEmpty ? "" : "{" + budget.labels.map { "\($0.key)=\($0.value)" }.joined(separator: ",") + "}"
            var line = "  \(budget.budget)\(labels)"
            for unit in budget.units {
                line += "  used=\(unit.used.exactDecimal) \(unit.unit)  limit=\(unit.limit.exactDecimal) \(unit.unit)  ratio=\(unit.ratio.exactDecimal)"
            }
            line += "  step=\(budget.activeStep?.rawValue ?? "none")"
            lines.append(line)
        }
        lines.append("quotas and policies: not evaluated (they answer checks; recorded usage holds none)")
        return lines.joined(separator: "\n")
    }
}
