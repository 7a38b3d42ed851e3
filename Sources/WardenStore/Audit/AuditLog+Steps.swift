import GRDB
import WardenCore
import WardenFormats

extension AuditLog {
    /// The latest threshold crossing recorded for every budget instance (rule and scope): what
    /// the log says each instance's step was when the process last ran. Start-up compares it with
    /// the restored budgets (``RuleEngine/reconcile(with:at:)``). A row whose detail has no
    /// parsable `at` is skipped.
    public func lastBudgetSteps() throws(StoreError) -> [AuditedStep] {
        do {
            return try store.pool.read { db in
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT rule, scope, action, detail FROM audit_event WHERE seq IN (
                        SELECT max(seq) FROM audit_event
                        WHERE kind = 'budget' AND action IN ('threshold_crossed_up', 'threshold_crossed_down')
                        GROUP BY rule, scope)
                    ORDER BY seq
                    """)
                var steps: [AuditedStep] = []
                while let row = try rows.next() {
                    let scopeText: String = row[1], action: String = row[2], detailText: String = row[3]
                    guard let scope = try? JSONDocument(parsing: scopeText), scope.root.kind == .object,
                          let detail = try? JSONDocument(parsing: detailText), let atText = detail.root["at"]?.string,
                          let at = try? ThresholdPercent(parsing: atText) else { continue }
                    let labels = scope.root.members.compactMap { member in member.value.string.map { AuditLabel(key: member.key, value: $0) } }
                    steps.append(AuditedStep(rule: row[0], scope: labels, crossedUp: action == AuditAction.thresholdCrossedUp, at: at))
                }
                return steps
            }
        } catch {
            throw StoreError(.read, "reading the last budget steps from the audit log failed: \(error)")
        }
    }
}
